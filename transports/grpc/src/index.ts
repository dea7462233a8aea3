export type { CallOptionsPolicy } from './call-request-options.js';
export {
  toChatRequest,
  toEmbeddingRequest,
  toListModelsProvider,
  toTextCompletionRequest,
} from './convert-from-grpc-request.js';
export {
  fromChatResponse,
  fromChatStreamChunk,
  fromEmbeddingResponse,
  fromModelList,
  fromTextCompletionResponse,
} from './convert-to-grpc-response.js';
export type { GrpcGatewayServer, GrpcServerOptions } from './create-grpc-server.js';
export { createGrpcServer } from './create-grpc-server.js';
export { bifrostErrorMetadataKey, grpcStatusByErrorCode, toServiceError } from './grpc-status.js';
export {
  bifrostProtoFile,
  bifrostServiceName,
  loadBifrostProto,
  protoDirectory,
  protoLoaderOptions,
} from './load-bifrost-proto.js';
export type { GrpcGatewayOptions, RunningGrpcGateway } from './start-grpc-gateway.js';
export { BindError, startGrpcGateway } from './start-grpc-gateway.js';
