import { anthropicErrorBodyFromValue } from '../formats/anthropic-messages/anthropic-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';

/**
 * Turns a non-2xx Anthropic answer (`{type:'error', error:{type, message}, request_id}`) into a GatewayError that
 * keeps the status, the error type, the message and `retry-after`, with the key redacted.
 */
export const anthropicErrorFromResponse = errorReaderFor(anthropicErrorBodyFromValue);
