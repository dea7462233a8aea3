import type { Bifrost, RequestOptions } from '@bifrost/core';
import { GatewayError } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Server,
  type ServerOptions,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { type CallOptionsPolicy, callRequestOptions } from './call-request-options.js';
import {
  toChatRequest,
  toEmbeddingRequest,
  toListModelsProvider,
  toTextCompletionRequest,
} from './convert-from-grpc-request.js';
import {
  fromChatResponse,
  fromChatStreamChunk,
  fromEmbeddingResponse,
  fromModelList,
  fromTextCompletionResponse,
} from './convert-to-grpc-response.js';
import type {
  GrpcChatRequest,
  GrpcEmbeddingRequest,
  GrpcListModelsRequest,
  GrpcTextCompletionRequest,
} from './grpc-request.js';
import { toServiceError } from './grpc-status.js';
import { bifrostServiceName, loadBifrostProto } from './load-bifrost-proto.js';

type GrpcObject = Record<string, unknown>;

/** Options of {@link createGrpcServer}. */
export interface GrpcServerOptions extends Partial<CallOptionsPolicy> {
  engine: Bifrost;
  /** @default a logger that drops everything */
  logger?: Logger;
  /** Largest request message accepted, in bytes. @default 100 MiB, as `client.max_request_body_size_mb` */
  maxReceiveMessageBytes?: number;
  /** Passed to grpc-js's `Server`. */
  serverOptions?: ServerOptions;
}

/** A gRPC server with the gateway's services added, not yet bound to a port. */
export interface GrpcGatewayServer {
  server: Server;
  /** The `grpc.health.v1` implementation; set `NOT_SERVING` while draining. */
  health: HealthImplementation;
}

const noop = () => {};
const silent: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Builds a grpc-js `Server` serving `bifrost.v1.Bifrost` on top of the engine, with `grpc.health.v1` health
 * checking and server reflection. It never binds: call `server.bindAsync` (or use `startGrpcGateway`).
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcGatewayServer {
  const { engine, logger = silent, maxReceiveMessageBytes = 100 * 1024 * 1024 } = options;
  const policy: CallOptionsPolicy = {
    forwardHeaders: options.forwardHeaders ?? false,
    allowDirectKeys: options.allowDirectKeys ?? false,
    // Only a plugin (governance) reads virtual keys; without one, reading them is wasted work.
    readVirtualKeys: options.readVirtualKeys ?? engine.plugins.length > 0,
  };
  const reportFailure = (error: unknown) => {
    const gatewayError = GatewayError.from(error);
    if (gatewayError.code === 'internal' || gatewayError.code === 'plugin_error') {
      logger.error('request failed', { code: gatewayError.code, error: gatewayError.message });
    }
    return toServiceError(gatewayError);
  };

  const unary =
    <Request>(
      run: (request: Request, requestOptions: RequestOptions) => Promise<GrpcObject>,
    ): handleUnaryCall<Request, GrpcObject> =>
    (call, callback) => {
      const { options: requestOptions, done } = callRequestOptions(call, policy);
      // run() may throw synchronously (validation): the promise chain catches it either way.
      Promise.resolve()
        .then(() => run(call.request, requestOptions))
        .then(
          (response) => callback(null, response),
          (error) => callback(reportFailure(error)),
        )
        .finally(done);
    };

  const chatCompletionStream: handleServerStreamingCall<GrpcChatRequest, GrpcObject> = (call) => {
    void streamChat(call).catch((error) => {
      if (!call.cancelled) call.emit('error', reportFailure(error));
    });
  };

  const streamChat = async (call: ServerWritableStream<GrpcChatRequest, GrpcObject>): Promise<void> => {
    const { options: requestOptions, done } = callRequestOptions(call, policy);
    try {
      const stream = await engine.chatCompletionStream(toChatRequest(call.request), requestOptions);
      const signal = requestOptions.signal!;
      const stop = () => stream.cancel();
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const chunk of stream) {
          if (call.cancelled) break;
          if (!call.write(fromChatStreamChunk(chunk))) await drained(call, signal);
        }
      } finally {
        signal.removeEventListener('abort', stop);
      }
      if (!call.cancelled) call.end();
    } finally {
      done();
    }
  };

  const implementation: UntypedServiceImplementation = {
    ChatCompletion: unary<GrpcChatRequest>(async (request, requestOptions) =>
      fromChatResponse(await engine.chatCompletion(toChatRequest(request), requestOptions)),
    ),
    ChatCompletionStream: chatCompletionStream,
    TextCompletion: unary<GrpcTextCompletionRequest>(async (request, requestOptions) =>
      fromTextCompletionResponse(
        await engine.textCompletion(toTextCompletionRequest(request), requestOptions),
      ),
    ),
    Embedding: unary<GrpcEmbeddingRequest>(async (request, requestOptions) =>
      fromEmbeddingResponse(await engine.embedding(toEmbeddingRequest(request), requestOptions)),
    ),
    ListModels: unary<GrpcListModelsRequest>(async (request, requestOptions) =>
      fromModelList(await engine.listModels(toListModelsProvider(request), requestOptions)),
    ),
  };

  const packageDefinition = loadBifrostProto();
  const server = new Server({
    'grpc.max_receive_message_length': maxReceiveMessageBytes,
    ...options.serverOptions,
  });
  server.addService(packageDefinition[bifrostServiceName] as ServiceDefinition, implementation);
  const health = new HealthImplementation({ '': 'SERVING', [bifrostServiceName]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService(packageDefinition).addToServer(server);
  return { server, health };
}

/** Resolves when the client has read enough to take more, or when the call is abandoned. */
function drained(
  call: ServerWritableStream<GrpcChatRequest, GrpcObject>,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      call.off('drain', finish);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    call.once('drain', finish);
    signal.addEventListener('abort', finish, { once: true });
  });
}
