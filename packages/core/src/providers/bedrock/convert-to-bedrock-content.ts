import type { CacheControl, ContentPart, FileContentPart, ImageContentPart } from '@bifrost/schemas';
import type { BedrockCachePoint, BedrockContentBlock } from './bedrock-api.js';

/** Converse image formats, by the subtype of an image MIME type or a file extension. */
const imageFormats: Readonly<Record<string, string>> = {
  png: 'png',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
};

/** Converse document formats, by MIME type. */
const documentFormatsByMime: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

const documentFormats = new Set(Object.values(documentFormatsByMime));

/** The cache point that closes the block before it; `ttl` travels only when the caller set one. */
export function cachePointFor(cacheControl: CacheControl): BedrockCachePoint {
  return cacheControl.ttl === undefined
    ? { cachePoint: { type: 'default' } }
    : { cachePoint: { type: 'default', ttl: cacheControl.ttl } };
}

/**
 * Appends the Converse blocks of one user content part, and a cache point after it when it carries
 * `cache_control`. Parts Converse cannot take (remote image URLs, audio, file ids) are left out with a warning.
 */
export function appendUserPart(part: ContentPart, blocks: BedrockContentBlock[], warnings: string[]): void {
  let block: BedrockContentBlock | undefined;
  switch (part.type) {
    case 'text':
      block = { text: part.text };
      break;
    case 'image_url':
      block = imageBlock(part, warnings);
      break;
    case 'file':
      block = documentBlock(part, warnings);
      break;
    default:
      addWarning(warnings, `bedrock ignores ${part.type} content parts`);
      return;
  }
  if (block === undefined) return;
  blocks.push(block);
  if ('cache_control' in part && part.cache_control) blocks.push(cachePointFor(part.cache_control));
}

/** Adds a warning once. */
export function addWarning(warnings: string[], warning: string): void {
  if (!warnings.includes(warning)) warnings.push(warning);
}

/** A `data:` URL split into MIME type and base64 payload; `undefined` when it is not base64. */
function splitDataUrl(url: string): { mime: string; data: string } | undefined {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma === -1) return undefined;
  const header = url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  return { mime: header.slice(0, header.indexOf(';')).toLowerCase(), data: url.slice(comma + 1) };
}

function imageBlock(part: ImageContentPart, warnings: string[]): BedrockContentBlock | undefined {
  const url = part.image_url.url;
  if (url.startsWith('s3://')) {
    const format = imageFormats[extensionOf(url)];
    if (format) return { image: { format, source: { s3Location: { uri: url } } } };
    addWarning(warnings, 'bedrock left out an s3:// image whose extension is not png, jpeg, gif or webp');
    return undefined;
  }
  const dataUrl = splitDataUrl(url);
  if (dataUrl === undefined) {
    // The gateway does not fetch on the caller's behalf; Converse takes bytes or S3 locations only.
    addWarning(
      warnings,
      'bedrock needs image bytes: an image given by URL was left out (send a base64 data URL)',
    );
    return undefined;
  }
  const format = dataUrl.mime.startsWith('image/') ? imageFormats[dataUrl.mime.slice(6)] : undefined;
  if (format === undefined) {
    addWarning(warnings, `bedrock left out an image of type ${dataUrl.mime} (png, jpeg, gif or webp only)`);
    return undefined;
  }
  return { image: { format, source: { bytes: dataUrl.data } } };
}

function documentBlock(part: FileContentPart, warnings: string[]): BedrockContentBlock | undefined {
  const { file_data: fileData, filename } = part.file;
  if (fileData === undefined) {
    addWarning(warnings, 'bedrock needs file bytes: a file given by file_id was left out');
    return undefined;
  }
  const dataUrl = splitDataUrl(fileData);
  const extension = filename === undefined ? '' : extensionOf(filename);
  const format = dataUrl
    ? documentFormatsByMime[dataUrl.mime]
    : documentFormats.has(extension)
      ? extension
      : 'pdf';
  if (format === undefined) {
    addWarning(warnings, `bedrock left out a file of type ${dataUrl?.mime} (not a Converse document format)`);
    return undefined;
  }
  return {
    document: { format, name: documentName(filename), source: { bytes: dataUrl ? dataUrl.data : fileData } },
  };
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and square brackets. */
function documentName(filename: string | undefined): string {
  if (filename === undefined) return 'document';
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  const name = stem
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? 'document' : name;
}
