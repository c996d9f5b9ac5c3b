/**
 * The only routes reachable without credentials. Everything else answers 401 to an anonymous caller;
 * the route-table test walks the app and proves it, so a route added later is protected by default.
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "GET", path: "/health" },
  { method: "GET", path: "/livez" },
  { method: "GET", path: "/openapi.json" },
  { method: "GET", path: "/docs" },
  { method: "POST", path: "/api/v1/auth/login" },
  { method: "POST", path: "/api/v1/auth/refresh" },
];

/**
 * Mutating routes any signed-in principal may call, whatever its role (a viewer must be able to change its own
 * password and sign out). Every other mutating route needs at least `operator`, enforced before the handler runs.
 */
export const SELF_SERVICE_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "POST", path: "/api/v1/auth/logout" },
  { method: "POST", path: "/api/v1/auth/password" },
];

/** Routes a user who must change the password may still use. */
export const PASSWORD_CHANGE_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "GET", path: "/api/v1/auth/me" },
  ...SELF_SERVICE_ROUTES,
];

export function matches(list: ReadonlyArray<{ method: string; path: string }>, method: string, path: string): boolean {
  const normalized = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return list.some((r) => r.method === method && r.path === normalized);
}
