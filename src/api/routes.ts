import type { App } from "../context";
import { registerRotateMasterKey } from "./admin/rotate-master-key";
import { registerCreateApiKey } from "./api-keys/create";
import { registerListApiKeys } from "./api-keys/list";
import { registerRevokeApiKey } from "./api-keys/revoke";
import { registerListAudit } from "./audit/list";
import { registerLogin } from "./auth/login";
import { registerLogout } from "./auth/logout";
import { registerMe } from "./auth/me";
import { registerPasswordChange } from "./auth/password";
import { registerRefresh } from "./auth/refresh";
import { registerCreateEndpoint } from "./endpoints/create";
import { registerDeleteEndpoint } from "./endpoints/delete";
import { registerGetEndpoint } from "./endpoints/get";
import { registerListEndpoints } from "./endpoints/list";
import { registerTestEndpoint } from "./endpoints/test";
import { registerUpdateEndpoint } from "./endpoints/update";
import { registerClearAllLockouts } from "./lockouts/clear-all";
import { registerClearLockout } from "./lockouts/clear";
import { registerListLockouts } from "./lockouts/list";
import { registerHealth, registerLiveness } from "./system/health";
import { registerMetrics } from "./system/metrics";
import { registerVersion } from "./system/version";
import { registerCreateTenant } from "./tenants/create";
import { registerDeleteTenant } from "./tenants/delete";
import { registerGetTenant } from "./tenants/get";
import { registerListTenants } from "./tenants/list";
import { registerUpdateTenant } from "./tenants/update";
import { registerCreateUser } from "./users/create";
import { registerDeleteUser } from "./users/delete";
import { registerGetUser } from "./users/get";
import { registerListUsers } from "./users/list";
import { registerUpdateUser } from "./users/update";

/** Every route module, mounted in one place so the route table reads top to bottom. */
const ROUTE_MODULES: Array<(app: App) => void> = [
  registerHealth,
  registerLiveness,
  registerVersion,
  registerMetrics,
  registerLogin,
  registerRefresh,
  registerLogout,
  registerMe,
  registerPasswordChange,
  registerListUsers,
  registerGetUser,
  registerCreateUser,
  registerUpdateUser,
  registerDeleteUser,
  registerListApiKeys,
  registerCreateApiKey,
  registerRevokeApiKey,
  registerListTenants,
  registerGetTenant,
  registerCreateTenant,
  registerUpdateTenant,
  registerDeleteTenant,
  registerListEndpoints,
  registerGetEndpoint,
  registerCreateEndpoint,
  registerUpdateEndpoint,
  registerDeleteEndpoint,
  registerTestEndpoint,
  registerListLockouts,
  registerClearLockout,
  registerClearAllLockouts,
  registerListAudit,
  registerRotateMasterKey,
];

export function registerRoutes(app: App): void {
  for (const register of ROUTE_MODULES) register(app);
}
