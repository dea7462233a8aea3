import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliFlags, usage } from './cli-flags.js';

function usageErrorOf(argv: string[]): CliUsageError {
  try {
    parseCliFlags(argv);
  } catch (error) {
    if (error instanceof CliUsageError) return error;
    throw error;
  }
  throw new Error(`expected a CliUsageError for ${argv.join(' ')}`);
}

describe('parseCliFlags', () => {
  it('answers the defaults for no arguments', () => {
    expect(parseCliFlags([])).toEqual({
      config: undefined,
      port: 8080,
      host: '127.0.0.1',
      poolSize: undefined,
      dropExcessRequests: undefined,
      plugins: [],
      prometheusLabels: [],
      logLevel: 'info',
      workers: 1,
      appDir: './bifrost-data',
      help: false,
    });
  });

  it('reads -app-dir in every form and refuses an empty one', () => {
    expect(parseCliFlags(['-app-dir', '/var/lib/bifrost']).appDir).toBe('/var/lib/bifrost');
    expect(parseCliFlags(['--app-dir=data']).appDir).toBe('data');
    expect(usageErrorOf(['-app-dir=']).message).toBe('-app-dir needs a directory');
  });

  it('refuses and leaves out -app-dir for a binary that keeps no state', () => {
    const grpc = { program: 'bifrost-grpc', defaultPort: 50051 };
    expect(() => parseCliFlags(['-app-dir', 'data'], grpc)).toThrow(
      'unknown flag -app-dir (bifrost-grpc keeps no state)',
    );
    expect(usage(grpc)).not.toContain('-app-dir');
  });

  it.each([[['-config', 'x.json']], [['--config', 'x.json']], [['-config=x.json']], [['--config=x.json']]])(
    'reads the config path from %j',
    (argv) => {
      expect(parseCliFlags(argv).config).toBe('x.json');
    },
  );

  it('keeps everything after the first = as the value', () => {
    expect(parseCliFlags(['-config=a=b.json']).config).toBe('a=b.json');
  });

  it('reads --port=9000 and -port 0', () => {
    expect(parseCliFlags(['--port=9000']).port).toBe(9000);
    expect(parseCliFlags(['-port', '0']).port).toBe(0);
  });

  it('reads host and pool size', () => {
    const flags = parseCliFlags(['-host', '0.0.0.0', '--pool-size=50']);
    expect(flags.host).toBe('0.0.0.0');
    expect(flags.poolSize).toBe(50);
  });

  it('sets -drop-excess-requests without consuming the next argument', () => {
    const flags = parseCliFlags(['-drop-excess-requests', '-port', '9000']);
    expect(flags.dropExcessRequests).toBe(true);
    expect(flags.port).toBe(9000);
  });

  it.each([
    ['-drop-excess-requests=false', false],
    ['-drop-excess-requests=0', false],
    ['--drop-excess-requests=true', true],
    ['-drop-excess-requests=1', true],
  ])('reads %s as %s', (argument, expected) => {
    expect(parseCliFlags([argument]).dropExcessRequests).toBe(expected);
  });

  it('refuses a boolean flag with a value that is not true or false', () => {
    expect(usageErrorOf(['-drop-excess-requests=maybe']).message).toBe(
      '-drop-excess-requests takes true or false, not "maybe"',
    );
  });

  it('splits -plugins and -prometheus-labels on commas, trimming and dropping empties', () => {
    const flags = parseCliFlags(['-plugins', 'prometheus, ./local.mjs,,', '--prometheus-labels=team,env']);
    expect(flags.plugins).toEqual(['prometheus', './local.mjs']);
    expect(flags.prometheusLabels).toEqual(['team', 'env']);
  });

  it.each(['debug', 'info', 'warn', 'error'])('accepts -log-level %s', (level) => {
    expect(parseCliFlags(['-log-level', level]).logLevel).toBe(level);
  });

  it('refuses an unknown log level', () => {
    expect(usageErrorOf(['-log-level=verbose']).message).toBe(
      '-log-level must be debug, info, warn or error, not "verbose"',
    );
  });

  it('reads -workers and refuses 0 or a fraction', () => {
    expect(parseCliFlags(['-workers', '4']).workers).toBe(4);
    expect(usageErrorOf(['-workers', '0']).message).toBe(
      '-workers must be a whole number from 1 to 256, not "0"',
    );
    expect(usageErrorOf(['-workers=1.5'])).toBeInstanceOf(CliUsageError);
  });

  it.each([[['-verbose', 'yes']], [['--verbose']], [['-verbose=true']], [['-port', '1', '-verbose']]])(
    'refuses the unknown flag in %j',
    (argv) => {
      const error = usageErrorOf(argv);
      expect(error.name).toBe('CliUsageError');
      expect(error.message).toBe('unknown flag -verbose');
    },
  );

  it('refuses a bare argument', () => {
    expect(usageErrorOf(['config.json']).message).toBe('unexpected argument "config.json"');
  });

  it('refuses a flag whose value is missing', () => {
    expect(usageErrorOf(['-config']).message).toBe('-config needs a value');
    expect(usageErrorOf(['-port', '9000', '--log-level']).message).toBe('-log-level needs a value');
  });

  it.each(['65536', '-1', 'http', '80.5', '', ' ', '0x50', '1e3'])('refuses the port %j', (port) => {
    expect(usageErrorOf(['-port', port]).message).toBe(
      `-port must be a whole number from 0 to 65535, not "${port}"`,
    );
  });

  it('refuses an empty value given with =', () => {
    expect(usageErrorOf(['-port=']).message).toBe('-port must be a whole number from 0 to 65535, not ""');
    expect(usageErrorOf(['--pool-size=']).message).toBe(
      '-pool-size must be a whole number from 0 to 1000000, not ""',
    );
  });

  it.each([['--help'], ['-help'], ['-h']])('sets help for %j', (...argv) => {
    expect(parseCliFlags(argv).help).toBe(true);
  });

  it('lists every flag it parses in the usage text', () => {
    for (const flag of [
      'config',
      'port',
      'host',
      'pool-size',
      'drop-excess-requests',
      'plugins',
      'prometheus-labels',
      'log-level',
      'workers',
      'app-dir',
      'help',
    ]) {
      expect(usage()).toContain(`-${flag} `);
    }
  });
});

describe('parseCliFlags -backlog', () => {
  it('reads -backlog and leaves it to the binary when absent', () => {
    expect(parseCliFlags(['-backlog', '8192']).backlog).toBe(8192);
    expect(parseCliFlags(['--backlog=64']).backlog).toBe(64);
    expect(parseCliFlags([]).backlog).toBeUndefined();
  });

  it('refuses a backlog of 0 or a word', () => {
    expect(usageErrorOf(['-backlog', '0']).message).toBe(
      '-backlog must be a whole number from 1 to 1000000, not "0"',
    );
    expect(usageErrorOf(['-backlog=many'])).toBeInstanceOf(CliUsageError);
  });

  it('lists -backlog with its default and the kernel cap', () => {
    expect(usage()).toMatch(/-backlog N .*\(default 4096, capped by net\.core\.somaxconn\)/);
  });
});

describe('parseCliFlags after a package manager', () => {
  it('skips the bare -- that `pnpm start -- -port 9000` passes on', () => {
    expect(parseCliFlags(['--', '-port', '9000']).port).toBe(9000);
  });
});

describe('parseCliFlags for another binary', () => {
  it("uses that program's default port and names it in the usage", () => {
    const grpc = { program: 'bifrost-grpc', defaultPort: 50051 };
    expect(parseCliFlags([], grpc).port).toBe(50051);
    expect(usage(grpc)).toMatch(/^Usage: bifrost-grpc \[flags\]/);
    expect(usage(grpc)).toContain('(default 50051)');
  });
});

describe('parseCliFlags for a binary without workers', () => {
  const single = { program: 'bifrost-grpc', defaultPort: 50051, supportsWorkers: false };

  it('neither lists nor accepts -workers', () => {
    expect(usage(single)).not.toContain('-workers');
    expect(() => parseCliFlags(['-workers', '2'], single)).toThrow(/unknown flag -workers/);
  });
});

describe('parseCliFlags for a binary that does not bind its own listener', () => {
  const grpc = { program: 'bifrost-grpc', defaultPort: 50051, supportsWorkers: false };

  it('neither lists nor accepts -backlog', () => {
    expect(usage(grpc)).not.toContain('-backlog');
    expect(() => parseCliFlags(['-backlog', '64'], grpc)).toThrow(/unknown flag -backlog/);
  });
});
