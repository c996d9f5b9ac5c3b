import type { Role } from "../db/schema";

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3, super_admin: 4 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** A principal may grant (to a user or an API key) only roles up to its own. */
export function canGrant(granter: Role, role: Role): boolean {
  return roleAtLeast(granter, role);
}
