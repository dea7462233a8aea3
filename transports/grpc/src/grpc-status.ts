import { GatewayError, grpcCodeByErrorCode } from '@bifrost/core';
import type { ErrorCode } from '@bifrost/schemas';
import { Metadata, type ServiceError, type status } from '@grpc/grpc-js';

/** The trailing metadata key that carries the `BifrostError` as ASCII-only JSON. */
export const bifrostErrorMetadataKey = 'bifrost-error';

/**
 * The gRPC status of each failure kind; the map itself lives in core, beside the HTTP statuses, with one entry
 * per code. Assigned, not cast, so that a map that stopped covering every code would not compile here either.
 */
export const grpcStatusByErrorCode: Readonly<Record<ErrorCode, status>> = grpcCodeByErrorCode;

/** JSON with every character outside printable ASCII escaped, so it is a legal non-binary metadata value. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The gRPC answer for any failure: the status of its code, its message as the details, and the `BifrostError`
 * in the `bifrost-error` trailer. Stacks and causes stay in the logs.
 */
export function toServiceError(error: unknown): Partial<ServiceError> & { code: status } {
  const gatewayError = GatewayError.from(error);
  const metadata = new Metadata();
  metadata.set(bifrostErrorMetadataKey, asciiJson(gatewayError.toBifrostError()));
  return { code: grpcStatusByErrorCode[gatewayError.code], details: gatewayError.message, metadata };
}
