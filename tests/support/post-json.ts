/** A parsed body as tests read it: untyped on purpose, since each test asserts the shape it expects. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions check the shape; a type here would only be a cast.
export type JsonBody = any;

/** A gateway answer with its body parsed (or kept as text when it is not JSON). */
export interface JsonAnswer<Body = JsonBody> {
  status: number;
  headers: Headers;
  body: Body;
}

/**
 * POSTs `body` to `url` as JSON and reads the whole answer. A string body is sent verbatim, so a test can send
 * broken JSON.
 */
export async function postJson<Body = JsonBody>(
  url: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<JsonAnswer<Body>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
  return readAnswer<Body>(response);
}

/** GETs `url` and reads the whole answer. */
export async function getJson<Body = JsonBody>(url: string): Promise<JsonAnswer<Body>> {
  return readAnswer<Body>(await fetch(url));
}

async function readAnswer<Body>(response: Response): Promise<JsonAnswer<Body>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body: body as Body };
}
