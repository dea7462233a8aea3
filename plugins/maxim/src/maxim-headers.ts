/** The prefix of every request header the plugin reads. */
export const maximHeaderPrefix = 'x-bf-maxim-';

/** What a request asks of its Maxim trace through `x-bf-maxim-*` headers. */
export interface MaximHeaders {
  /** `x-bf-maxim-trace-id`: log into this trace, e.g. one the caller continues across requests. */
  traceId?: string;
  /** `x-bf-maxim-generation-id` */
  generationId?: string;
  /** `x-bf-maxim-session-id`: the session the trace belongs to. */
  sessionId?: string;
  /** `x-bf-maxim-trace-name` */
  traceName?: string;
  /** `x-bf-maxim-generation-name` */
  generationName?: string;
  /** `x-bf-maxim-log-repo-id`: log this request into another repository than the configured one. */
  logRepoId?: string;
  /** Every other `x-bf-maxim-<name>` header, as the tag `<name>`. */
  tags: Record<string, string>;
}

const namedHeaders: Record<string, keyof Omit<MaximHeaders, 'tags'>> = {
  'trace-id': 'traceId',
  'generation-id': 'generationId',
  'session-id': 'sessionId',
  'trace-name': 'traceName',
  'generation-name': 'generationName',
  'log-repo-id': 'logRepoId',
};

/** Picks the `x-bf-maxim-*` headers out of a request's (lower-cased) headers. */
export function readMaximHeaders(headers: Readonly<Record<string, string>>): MaximHeaders {
  const result: MaximHeaders = { tags: {} };
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith(maximHeaderPrefix) || value === '') continue;
    const name = header.slice(maximHeaderPrefix.length);
    if (name === '') continue;
    const field = namedHeaders[name];
    if (field === undefined) result.tags[name] = value;
    else result[field] = value;
  }
  return result;
}

const maximIdPattern = /^[a-zA-Z0-9_-]+$/;

/** Whether Maxim accepts `id` for a trace or generation; it silently drops entities with any other id. */
export function isMaximId(id: string): boolean {
  return maximIdPattern.test(id);
}
