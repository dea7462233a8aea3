import type { LogLevel } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './json-logger.js';

function capture(level?: LogLevel) {
  const lines: { entry: Record<string, unknown>; level: LogLevel }[] = [];
  const logger = createJsonLogger({
    level,
    sink: (line, lineLevel) => lines.push({ entry: JSON.parse(line), level: lineLevel }),
    now: () => new Date('2025-01-02T03:04:05.678Z'),
  });
  return { logger, lines };
}

describe('createJsonLogger', () => {
  it('writes one JSON object a line with time, level, message and fields', () => {
    const { logger, lines } = capture();
    logger.info('request served', { provider: 'openai', latency_ms: 12 });
    expect(lines).toEqual([
      {
        level: 'info',
        entry: {
          time: '2025-01-02T03:04:05.678Z',
          level: 'info',
          msg: 'request served',
          provider: 'openai',
          latency_ms: 12,
        },
      },
    ]);
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => line.entry.msg)).toEqual(['w', 'e']);
  });

  it('drops debug lines at the default level', () => {
    const { logger, lines } = capture();
    logger.debug('d');
    expect(lines).toEqual([]);
  });

  it('redacts secret-looking fields at any depth, in objects and arrays', () => {
    const { logger, lines } = capture();
    logger.warn('config', {
      api_key: 'sk-top',
      Authorization: 'Bearer sk-top',
      'x-api-key': 'sk-top',
      provider: { name: 'openai', network: { headers: { authorization: 'Bearer sk-nested' } } },
      providers: [{ name: 'groq', session_token: 'tok', password: 'pw' }],
      keys: [{ value: 'sk-list' }],
      models: ['gpt-4o'],
    });
    const entry = lines[0]!.entry;
    expect(entry).toMatchObject({
      api_key: '[redacted]',
      Authorization: '[redacted]',
      'x-api-key': '[redacted]',
      provider: { name: 'openai', network: { headers: { authorization: '[redacted]' } } },
      providers: [{ name: 'groq', session_token: '[redacted]', password: '[redacted]' }],
      keys: '[redacted]',
      models: ['gpt-4o'],
    });
    expect(JSON.stringify(entry)).not.toContain('sk-');
  });
});
