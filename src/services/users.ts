/** Users of a tenant: lookups, creation, updates and deletion, each change audited in the same batch. */
import { and, eq, ne } from "drizzle-orm";
import type { Principal } from "../context";
import type { Db } from "../db/client";
import { refreshTokens, tenants, users, type Role, type User } from "../db/schema";
import { ApiError, conflict, forbidden, notFound } from "../errors";
import { hashPassword, passwordWeakness } from "../security/passwords";
import { principalCache } from "../security/principal-cache";
import { canGrant, roleAtLeast } from "../security/roles";
import { allocateId } from "../db/ids";
import { isUniqueViolation } from "../db/errors";
import { actorOf, auditStatement, type AuditMeta } from "./audit";

export interface PublicUser {
  id: number;
  tenant_id: number;
  username: string;
  display_name: string | null;
  email: string | null;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  created_at: number;
  updated_at: number | null;
  last_login_at: number | null;
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    tenant_id: user.tenantId,
    username: user.username,
    display_name: user.displayName,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    must_change_password: user.mustChangePassword,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    last_login_at: user.lastLoginAt,
  };
}

export async function findActiveUser(db: Db, userId: number): Promise<User | null> {
  const user = await db.select().from(users).where(and(eq(users.id, userId), eq(users.disabled, false))).get();
  if (!user) return null;
  const tenant = await db.select({ disabled: tenants.disabled }).from(tenants).where(eq(tenants.id, user.tenantId)).get();
  return tenant && !tenant.disabled ? user : null;
}

export async function findUserByUsername(db: Db, username: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.username, username)).get();
}

export async function getUser(db: Db, tenantId: number, id: number): Promise<User> {
  const user = await db.select().from(users).where(and(eq(users.id, id), eq(users.tenantId, tenantId))).get();
  if (!user) throw notFound("User");
  return user;
}

export function listUsers(db: Db, tenantId: number): Promise<User[]> {
  return db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(users.id).all();
}

function assertAcceptablePassword(password: string, username: string, field: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw new ApiError(400, "validation_failed", `${field} ${weakness}`, { issues: [{ field: `json.${field}`, message: weakness }] });
}

/** Admins manage users below or at their own level; nobody may touch a super admin but a super admin. */
function assertCanManage(principal: Principal, target: Pick<User, "role">): void {
  if (target.role === "super_admin" && !roleAtLeast(principal.role, "super_admin")) {
    throw forbidden("Only a super admin may manage a super admin");
  }
}

function assertCanGrant(principal: Principal, role: Role): void {
  if (!canGrant(principal.role, role)) throw forbidden(`Your role (${principal.role}) cannot grant ${role}`);
}

export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
  display_name?: string | null;
  email?: string | null;
  must_change_password?: boolean;
}

export async function createUser(db: Db, principal: Principal, input: CreateUserInput, pepper: string, meta: AuditMeta, now: number): Promise<User> {
  assertCanGrant(principal, input.role);
  assertAcceptablePassword(input.password, input.username, "password");
  if (await findUserByUsername(db, input.username)) throw conflict(`Username "${input.username}" is taken`);
  const values = {
    id: await allocateId(db, "users"),
    tenantId: principal.tenantId,
    username: input.username,
    displayName: input.display_name ?? null,
    email: input.email ?? null,
    role: input.role,
    passwordHash: await hashPassword(input.password, pepper),
    mustChangePassword: input.must_change_password ?? true,
    createdAt: now,
  };
  const created = { ...values, disabled: false, updatedAt: null, lastLoginAt: null } satisfies User;
  try {
    await db.batch([
      db.insert(users).values(values),
      auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "user.create", targetType: "user", targetId: created.id, after: publicUser(created) }, meta, now),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Username "${input.username}" is taken`);
    throw err;
  }
  return created;
}

export interface UpdateUserInput {
  display_name?: string | null;
  email?: string | null;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

export async function updateUser(db: Db, principal: Principal, id: number, input: UpdateUserInput, pepper: string, meta: AuditMeta, now: number): Promise<User> {
  const before = await getUser(db, principal.tenantId, id);
  assertCanManage(principal, before);
  const self = principal.type === "user" && principal.id === id;
  if (input.role !== undefined) {
    assertCanGrant(principal, input.role);
    if (self && input.role !== before.role) throw forbidden("You cannot change your own role");
  }
  if (self && input.disabled) throw forbidden("You cannot disable your own account");
  const patch: Partial<typeof users.$inferInsert> = { updatedAt: now };
  if (input.display_name !== undefined) patch.displayName = input.display_name;
  if (input.email !== undefined) patch.email = input.email;
  if (input.role !== undefined) patch.role = input.role;
  if (input.disabled !== undefined) patch.disabled = input.disabled;
  if (input.password !== undefined) {
    assertAcceptablePassword(input.password, before.username, "password");
    patch.passwordHash = await hashPassword(input.password, pepper);
    // A password set by an admin is known to two people; the owner must replace it.
    patch.mustChangePassword = !self;
  }
  const after = { ...before, ...patch } as User;
  principalCache.forgetUser(id);
  const endSessions = input.disabled === true || input.password !== undefined || (input.role !== undefined && input.role !== before.role);
  await db.batch([
    db.update(users).set(patch).where(and(eq(users.id, id), eq(users.tenantId, principal.tenantId))),
    ...(endSessions && !self ? [db.update(refreshTokens).set({ revokedAt: now }).where(eq(refreshTokens.userId, id))] : []),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "user.update", targetType: "user", targetId: id, before: publicUser(before), after: publicUser(after) }, meta, now),
  ]);
  return after;
}

export async function deleteUser(db: Db, principal: Principal, id: number, meta: AuditMeta, now: number): Promise<void> {
  const before = await getUser(db, principal.tenantId, id);
  assertCanManage(principal, before);
  if (principal.type === "user" && principal.id === id) throw forbidden("You cannot delete your own account");
  principalCache.forgetUser(id);
  await db.batch([
    db.delete(users).where(and(eq(users.id, id), eq(users.tenantId, principal.tenantId))),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "user.delete", targetType: "user", targetId: id, before: publicUser(before) }, meta, now),
  ]);
}

/** Changes the caller's own password and ends every other session of that user. */
export async function changeOwnPassword(db: Db, user: User, newPassword: string, keepSession: string | undefined, pepper: string, meta: AuditMeta, now: number): Promise<void> {
  assertAcceptablePassword(newPassword, user.username, "new_password");
  const passwordHash = await hashPassword(newPassword, pepper);
  principalCache.forgetUser(user.id);
  await db.batch([
    db.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: now }).where(eq(users.id, user.id)),
    db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.userId, user.id), ne(refreshTokens.familyId, keepSession ?? ""))),
    auditStatement(db, { type: "user", id: user.id, label: user.username }, { tenantId: user.tenantId, action: "user.password_change", targetType: "user", targetId: user.id }, meta, now),
  ]);
}
