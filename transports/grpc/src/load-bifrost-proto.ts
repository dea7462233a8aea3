import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSync, type PackageDefinition, type Options as ProtoLoaderOptions } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { linkFileDescriptors } from './link-file-descriptors.js';

/** The folder holding `bifrost/v1/bifrost.proto`; `src/` and `dist/` both sit one level below the package. */
export const protoDirectory = fileURLToPath(new URL('../proto', import.meta.url));

/** The proto file's path relative to {@link protoDirectory}, which is also its name in reflection. */
export const bifrostProtoFile = 'bifrost/v1/bifrost.proto';

/** The fully qualified name of the service. */
export const bifrostServiceName = 'bifrost.v1.Bifrost';

/**
 * How the messages are decoded: snake_case as on the wire and in the HTTP JSON, int64 as numbers, and unset
 * fields absent, so that proto3 `optional` keeps "not given" apart from zero.
 */
export const protoLoaderOptions: ProtoLoaderOptions = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: false,
  oneofs: false,
};

/**
 * Loads `bifrost.v1` and `grpc.health.v1` at run time. Both go in one definition so reflection can describe
 * every service the server offers; file descriptors are linked to their imports for reflection clients.
 */
export function loadBifrostProto(): PackageDefinition {
  // health.proto sits at <package>/proto/health/v1/health.proto.
  const healthDirectory = dirname(dirname(dirname(healthProtoPath)));
  const definition = loadSync([bifrostProtoFile, 'health/v1/health.proto'], {
    ...protoLoaderOptions,
    includeDirs: [protoDirectory, healthDirectory],
  });
  return linkFileDescriptors(definition);
}
