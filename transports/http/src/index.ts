export type { AdminAuthConfig, AdminOptions } from './admin/admin-options.js';
export { checkAdminPassword } from './admin/admin-password.js';
export type { HttpAppOptions } from './create-http-app.js';
export { createHttpApp } from './create-http-app.js';
export { errorResponse } from './error-response.js';
export type { GatewayOptions, RunningGateway } from './start-gateway.js';
export { startGateway } from './start-gateway.js';
