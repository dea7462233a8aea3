export { createManagementRoutes } from './create-management-routes.js';
export type { LiveUsage, ManagementRoutesOptions } from './management-options.js';
export { virtualKeyQuotaPath } from './virtual-key-quota-route.js';
