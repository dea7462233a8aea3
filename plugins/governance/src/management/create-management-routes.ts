import type { PluginHttpRoute } from '@bifrost/schemas';
import { budgetOverrideRoutes } from './budget-override-routes.js';
import { customerRoutes } from './customer-routes.js';
import { limitListRoutes } from './limit-list-routes.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { modelConfigRoutes } from './model-config-routes.js';
import { providerGovernanceRoutes } from './provider-governance-routes.js';
import { teamRoutes } from './team-routes.js';
import { virtualKeyQuotaRoute } from './virtual-key-quota-route.js';
import { virtualKeyRoutes } from './virtual-key-routes.js';

/**
 * Upstream Bifrost's governance management API (`/api/governance/*`) as plugin routes: the same paths, bodies,
 * answers and error envelope, so tools written for upstream work unchanged. Admin authentication is the
 * transport's; `GET /api/governance/virtual-keys/quota` is the one route whose credential is the virtual key itself.
 * Order matters: fixed paths come before the `/:id` routes they would otherwise match.
 */
export function createManagementRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  return [
    virtualKeyQuotaRoute(options),
    ...virtualKeyRoutes(options),
    ...budgetOverrideRoutes(options),
    ...teamRoutes(options),
    ...customerRoutes(options),
    ...limitListRoutes(options),
    ...modelConfigRoutes(options),
    ...providerGovernanceRoutes(options),
  ];
}
