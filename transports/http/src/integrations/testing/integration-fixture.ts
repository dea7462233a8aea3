import { readFileSync } from 'node:fs';

/** A documented example from an integration's `__fixtures__` folder, parsed. */
export function integrationFixture<Body = Record<string, unknown>>(
  dialect: 'anthropic' | 'genai',
  name: string,
): Body {
  const url = new URL(`../${dialect}/__fixtures__/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Body;
}

/** A server-sent-events body as `[event, data]` pairs, `event` empty for data-only events. */
export function parseSseText(text: string): [string, unknown][] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      let name = '';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data += line.slice('data: '.length);
      }
      return [name, JSON.parse(data)];
    });
}
