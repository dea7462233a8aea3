export { createManagementRoutes } from './create-management-routes.js';
export type { LiveUsage, ManagementRoutesOptions } from './management-options.js';
