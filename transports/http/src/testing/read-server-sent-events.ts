/** The `data:` payloads of a server-sent-events body, in order. */
export function readServerSentEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      if (!event.startsWith('data: ')) throw new Error(`not a data event: ${JSON.stringify(event)}`);
      return event.slice('data: '.length);
    });
}
