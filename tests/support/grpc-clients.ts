import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadBifrostProto, protoDirectory } from '@bifrost/grpc';
import {
  type CallOptions,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ClientUnaryCall,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** Loader options a client uses to see fields as the proto names them, with unset fields absent. */
const loaderOptions = { keepCase: true, longs: Number, enums: String, defaults: false } as const;

type UnaryMethod = (
  request: unknown,
  options: CallOptions,
  callback: (error: ServiceError | null, response: unknown) => void,
) => ClientUnaryCall;

/** A client of a service loaded at run time, with its methods called by name. */
export class ServiceClient {
  private readonly client: Client;

  constructor(root: GrpcObject, service: string, address: string) {
    const Constructor = service
      .split('.')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown>)[part],
        root,
      ) as ServiceClientConstructor;
    this.client = new Constructor(address, credentials.createInsecure());
  }

  private method(name: string): (...args: unknown[]) => unknown {
    const method = (this.client as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    if (!method) throw new Error(`no method ${name}`);
    return method.bind(this.client);
  }

  /** Calls a unary method; rejects with the grpc-js `ServiceError`. */
  unary<Response>(name: string, request: unknown, options: CallOptions = {}): Promise<Response> {
    const method = this.method(name) as UnaryMethod;
    return new Promise((resolve, reject) => {
      method(request, options, (error, response) => (error ? reject(error) : resolve(response as Response)));
    });
  }

  /** Starts a server-streaming call. */
  serverStream<Chunk>(name: string, request: unknown): ClientReadableStream<Chunk> {
    return this.method(name)(request) as ClientReadableStream<Chunk>;
  }

  /** Starts a bidirectional call. */
  duplex<Request, Response>(name: string): ClientDuplexStream<Request, Response> {
    return this.method(name)() as ClientDuplexStream<Request, Response>;
  }

  close(): void {
    this.client.close();
  }
}

/** A `bifrost.v1.Bifrost` client loaded from the package's proto file, as a user's client would. */
export function bifrostClient(address: string): ServiceClient {
  const definition = loadSync('bifrost/v1/bifrost.proto', {
    ...loaderOptions,
    includeDirs: [protoDirectory],
  });
  return new ServiceClient(loadPackageDefinition(definition), 'bifrost.v1.Bifrost', address);
}

/** A `grpc.health.v1.Health` client. */
export function healthClient(address: string): ServiceClient {
  return new ServiceClient(loadPackageDefinition(loadBifrostProto()), 'grpc.health.v1.Health', address);
}

/** A `grpc.reflection.v1.ServerReflection` client, from the reflection proto @grpc/reflection ships. */
export function reflectionClient(address: string): ServiceClient {
  const packageJson = createRequire(import.meta.url).resolve('@grpc/reflection/package.json');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', {
    ...loaderOptions,
    includeDirs: [join(dirname(packageJson), 'build/proto')],
  });
  return new ServiceClient(loadPackageDefinition(definition), 'grpc.reflection.v1.ServerReflection', address);
}

/** The rejection of a call, as the client saw it; fails the test when the call succeeds. */
export async function failure(call: Promise<unknown>): Promise<ServiceError> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: ServiceError) => error,
  );
}
