import type { CacheControl, ContentPart } from '@bifrost/schemas';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { AnthropicContentBlock } from './anthropic-api.js';

/** `data:<media type>;base64,<data>`, the only inline form OpenAI's image and file parts use. */
const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Translates one part of a user message into an Anthropic block: text as text, an image URL as a URL source, a
 * `data:` URL as a base64 source, a file as a document. `undefined` for a part Anthropic has no block for (audio).
 */
export function contentPartToBlock(part: ContentPart, field: string): AnthropicContentBlock | undefined {
  switch (part.type) {
    case 'text':
      return withCacheControl({ type: 'text', text: part.text }, part.cache_control);
    case 'image_url': {
      const url = part.image_url.url;
      const inline = dataUrlPattern.exec(url);
      const source = inline
        ? { type: 'base64' as const, media_type: inline[1]!, data: inline[2]! }
        : { type: 'url' as const, url };
      return withCacheControl({ type: 'image', source }, part.cache_control);
    }
    case 'file': {
      const { file_id: fileId, file_data: fileData, filename } = part.file;
      if (fileId !== undefined) {
        return withCacheControl(
          { type: 'document', source: { type: 'file', file_id: fileId } },
          part.cache_control,
        );
      }
      const inline = fileData === undefined ? null : dataUrlPattern.exec(fileData);
      if (!inline) {
        throw new GatewayError(
          'invalid_request',
          `${field}.file needs file_id or a base64 data: URL in file_data`,
          {
            provider: 'anthropic',
            param: `${field}.file`,
          },
        );
      }
      const block: AnthropicContentBlock = {
        type: 'document',
        source: { type: 'base64', media_type: inline[1]!, data: inline[2]! },
      };
      if (filename !== undefined) block.title = filename;
      return withCacheControl(block, part.cache_control);
    }
    default:
      return undefined;
  }
}

/** Sets `cache_control` on a block when the caller asked for caching at that point. */
export function withCacheControl<Block extends AnthropicContentBlock>(
  block: Block,
  cacheControl: CacheControl | undefined,
): Block {
  if (cacheControl !== undefined) (block as { cache_control?: CacheControl }).cache_control = cacheControl;
  return block;
}
