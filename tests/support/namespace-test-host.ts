import { execFile } from 'node:child_process';
import { threadId } from 'node:worker_threads';

// "A caller from another machine" without touching another machine, or this machine's own external address: a
// throwaway network namespace joined to this one by a veth pair. The namespace has only `lo` and its end of the
// pair, no default route, so whatever runs inside can reach the host end of the pair and nothing else. Needs root
// (or CAP_NET_ADMIN) and iproute2's `ip`.

/** Every namespace this helper creates is named `${namespacePrefix}<pid>-<threadId>`. */
export const namespacePrefix = 'bifrost-test-';

/** What a `fetch` run inside the namespace got back. */
export interface NamespaceAnswer {
  status: number;
  headers: Record<string, string>;
  /** Parsed as JSON when it is JSON, else the text. */
  // biome-ignore lint/suspicious/noExplicitAny: the assertions check the shape; a type here would only be a cast.
  body: any;
}

/** Why a `fetch` inside the namespace failed, with the socket error's code (`ECONNREFUSED`, …) in a field. */
export class NamespaceFetchError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'NamespaceFetchError';
    this.code = code;
  }
}

/** The subset of `RequestInit` that survives the trip into the namespace as JSON. */
export interface NamespaceRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A network namespace this process created, joined to the host by a veth pair. */
export interface NamespaceTestHost {
  /** The namespace's name, for `ip netns exec`. */
  name: string;
  /** The host end of the veth pair: where a caller inside the namespace reaches servers on this machine. */
  hostAddress: string;
  /** The namespace end of the pair: the remote address servers on this machine see. */
  namespaceAddress: string;
  /** Runs `command` inside the namespace and resolves with its stdout; rejects when it exits non-zero. */
  run(command: string, args: string[], options?: { timeoutMs?: number }): Promise<string>;
  /** Runs `fetch(url, init)` in a node process inside the namespace; rejects with a {@link NamespaceFetchError}. */
  fetchFromNamespace(url: string, init?: NamespaceRequestInit): Promise<NamespaceAnswer>;
  /** Deletes the veth pair and the namespace; safe to call twice. */
  close(): Promise<void>;
}

// Runs inside the namespace: argv[1] is the URL, argv[2] the init as JSON; one JSON line on stdout either way.
const fetchScript = `
const [url, init] = [process.argv[1], JSON.parse(process.argv[2])];
fetch(url, { ...init, signal: AbortSignal.timeout(10000) }).then(
  async (response) => {
    const text = await response.text();
    const headers = Object.fromEntries(response.headers);
    process.stdout.write(JSON.stringify({ ok: true, status: response.status, headers, text }));
  },
  (error) => {
    const code = error?.cause?.code ?? error?.code ?? error?.name;
    process.stdout.write(JSON.stringify({ ok: false, message: String(error?.cause ?? error), code }));
  },
);
`;

function ip(args: string[], timeoutMs = 10_000): Promise<string> {
  return execute('ip', args, timeoutMs);
}

function execute(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      // PATH alone, so no proxy settings or keys from the developer's environment follow into the namespace.
      { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function interfaceNames(pid: number, thread: number): { hostSide: string; namespaceSide: string } {
  // Interface names are capped at 15 bytes: "bft" + pid (≤ 7 digits) + "t" + thread + "h|n".
  const stem = `bft${pid}t${thread}`;
  return { hostSide: `${stem}h`, namespaceSide: `${stem}n` };
}

/**
 * Deletes namespaces (and host-side veth ends) that an earlier, killed run of this helper left behind: those
 * whose pid no longer runs. Ones belonging to live processes, such as a parallel test file, are left alone.
 */
async function removeStaleNamespaces(): Promise<void> {
  const namespaces = (await ip(['netns', 'list']))
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(namespacePrefix));
  for (const name of namespaces) {
    const match = /^(\d+)-(\d+)$/.exec(name.slice(namespacePrefix.length));
    if (!match || isAlive(Number(match[1]))) continue;
    await ip(['netns', 'delete', name]).catch(() => undefined);
  }
  // A run killed between `ip link add` and moving one end into its namespace leaves the whole pair here.
  for (const line of (await ip(['-o', 'link', 'show'])).split('\n')) {
    const match = /^\d+: (bft(\d+)t\d+h)[@:]/.exec(line);
    if (!match || isAlive(Number(match[2]))) continue;
    await ip(['link', 'delete', match[1]!]).catch(() => undefined);
  }
}

/** Picks a /30 in 10.213.0.0/16 that no interface on this machine already has an address in. */
async function freeSubnet(seed: number): Promise<{ hostAddress: string; namespaceAddress: string }> {
  const used = new Set(
    [...(await ip(['-o', '-4', 'addr', 'show'])).matchAll(/inet 10\.213\.(\d+)\.(\d+)/g)].map(
      (match) => Number(match[1]) * 64 + Math.floor(Number(match[2]) / 4),
    ),
  );
  for (let step = 0; step < 16_384; step++) {
    const block = (seed + step) % 16_384;
    if (used.has(block)) continue;
    const third = Math.floor(block / 64);
    const fourth = (block % 64) * 4;
    return {
      hostAddress: `10.213.${third}.${fourth + 1}`,
      namespaceAddress: `10.213.${third}.${fourth + 2}`,
    };
  }
  throw new Error('no free /30 left in 10.213.0.0/16');
}

/**
 * Creates a namespace named after this process and thread, a veth pair with the host end at `hostAddress/30` and
 * the other end at `namespaceAddress/30` inside it, and brings both ends and the namespace's `lo` up. Removes
 * stale namespaces of earlier runs first. Rejects (after undoing what it did) when this machine does not allow it.
 */
export async function createNamespaceTestHost(): Promise<NamespaceTestHost> {
  const uid = process.getuid?.();
  if (uid !== 0) throw new Error(`not running as root (uid ${uid})`);
  await removeStaleNamespaces();

  const name = `${namespacePrefix}${process.pid}-${threadId}`;
  const { hostSide, namespaceSide } = interfaceNames(process.pid, threadId);
  const { hostAddress, namespaceAddress } = await freeSubnet(process.pid * 16 + threadId);

  const remove = async () => {
    // Deleting one end deletes the pair at once; deleting the namespace alone frees its veth only later.
    await ip(['link', 'delete', hostSide]).catch(() => undefined);
    await ip(['netns', 'delete', name]).catch(() => undefined);
  };
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= remove();
    return closing;
  };

  // Left over by an earlier test file in this same, reused worker whose afterAll did not run.
  await remove();
  try {
    await ip(['netns', 'add', name]);
    await ip(['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', namespaceSide]);
    await ip(['link', 'set', namespaceSide, 'netns', name]);
    await ip(['addr', 'add', `${hostAddress}/30`, 'dev', hostSide]);
    await ip(['link', 'set', hostSide, 'up']);
    await ip(['-n', name, 'addr', 'add', `${namespaceAddress}/30`, 'dev', namespaceSide]);
    await ip(['-n', name, 'link', 'set', namespaceSide, 'up']);
    await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await close();
    throw error;
  }

  const run = (command: string, args: string[], { timeoutMs = 20_000 } = {}) =>
    ip(['netns', 'exec', name, command, ...args], timeoutMs);

  return {
    name,
    hostAddress,
    namespaceAddress,
    run,
    close,
    fetchFromNamespace: async (url, init = {}) => {
      const host = new URL(url).hostname;
      // The rule these tests live by: from the namespace, only the host end of our own pair.
      if (host !== hostAddress) throw new Error(`fetchFromNamespace only calls ${hostAddress}, not ${host}`);
      const output = await run(process.execPath, ['-e', fetchScript, url, JSON.stringify(init)]);
      const result = JSON.parse(output) as
        | { ok: true; status: number; headers: Record<string, string>; text: string }
        | { ok: false; message: string; code?: string };
      if (!result.ok)
        throw new NamespaceFetchError(`fetch ${url} from ${name}: ${result.message}`, result.code);
      let body: unknown = result.text;
      try {
        body = JSON.parse(result.text);
      } catch {
        // Not JSON: the test sees the text.
      }
      return { status: result.status, headers: result.headers, body };
    },
  };
}

/**
 * For a suite's top level: the namespace host, or `undefined` (with the reason printed) so the suite can skip
 * where namespaces are not available. Under `CI=true` it throws instead, so CI never passes by skipping. Registers
 * nothing: the caller closes the host in `afterAll`.
 * @example
 * const namespace = await namespaceTestHostOrSkip('MCP remote-caller checks');
 * afterAll(() => namespace?.close());
 * describe.skipIf(namespace === undefined)('…', () => { … });
 */
export async function namespaceTestHostOrSkip(suite: string): Promise<NamespaceTestHost | undefined> {
  try {
    return await createNamespaceTestHost();
  } catch (error) {
    const reason = `${suite} need a network namespace of their own (root and iproute2's \`ip netns add\`): ${(error as Error).message}`;
    if (process.env.CI === 'true')
      throw new Error(`${reason}. CI must run these as root; refusing to skip them.`);
    console.warn(`skipped: ${reason}`);
    return undefined;
  }
}
