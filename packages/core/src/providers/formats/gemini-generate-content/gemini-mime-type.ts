/** MIME types by file extension, for the formats Gemini accepts as `fileData`. */
const mimeTypesByExtension: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  html: 'text/html',
  csv: 'text/csv',
  md: 'text/markdown',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  mov: 'video/mov',
  webm: 'video/webm',
};

/** Guesses a file's MIME type from the extension of a URL's path or a file name; `undefined` when unknown. */
export function guessMimeType(urlOrName: string): string | undefined {
  let path = urlOrName;
  try {
    path = new URL(urlOrName).pathname;
  } catch {
    // A bare file name or a `gs://` URI that URL cannot parse: use it as it is.
  }
  const dot = path.lastIndexOf('.');
  if (dot === -1) return undefined;
  return mimeTypesByExtension[path.slice(dot + 1).toLowerCase()];
}

/** Splits a `data:<mime>;base64,<data>` URL; `undefined` when it is not one. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,/.exec(url);
  if (!match) return undefined;
  return { mimeType: match[1]!, data: url.slice(match[0].length) };
}
