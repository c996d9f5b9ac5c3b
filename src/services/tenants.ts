/**
 * Tenants (super admin only). Tenant changes are audited in the acting super admin's home tenant, so the record
 * of a deletion survives the cascade that removes the tenant's own rows.
 */
import { eq } from "drizzle-orm";
import type { Principal } from "../context";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { allocateId } from "../db/ids";
import { tenants, type Tenant } from "../db/schema";
import { conflict, forbidden, notFound } from "../errors";
import { principalCache } from "../security/principal-cache";
import { actorOf, auditStatement, type AuditMeta } from "./audit";

export interface PublicTenant {
  id: number;
  slug: string;
  name: string;
  disabled: boolean;
  created_at: number;
}

export function publicTenant(t: Tenant): PublicTenant {
  return { id: t.id, slug: t.slug, name: t.name, disabled: t.disabled, created_at: t.createdAt };
}

export function listTenants(db: Db): Promise<Tenant[]> {
  return db.select().from(tenants).orderBy(tenants.id).all();
}

export async function getTenant(db: Db, id: number): Promise<Tenant> {
  const tenant = await db.select().from(tenants).where(eq(tenants.id, id)).get();
  if (!tenant) throw notFound("Tenant");
  return tenant;
}

function audit(db: Db, principal: Principal, action: string, id: number, before: unknown, after: unknown, meta: AuditMeta, now: number) {
  return auditStatement(db, actorOf(principal), { tenantId: principal.homeTenantId, action, targetType: "tenant", targetId: id, before, after }, meta, now);
}

export async function createTenant(db: Db, principal: Principal, input: { slug: string; name: string }, meta: AuditMeta, now: number): Promise<Tenant> {
  const tenant: Tenant = { id: await allocateId(db, "tenants"), slug: input.slug, name: input.name, disabled: false, createdAt: now };
  try {
    await db.batch([db.insert(tenants).values(tenant), audit(db, principal, "tenant.create", tenant.id, null, publicTenant(tenant), meta, now)]);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Tenant slug "${input.slug}" is taken`);
    throw err;
  }
  return tenant;
}

export async function updateTenant(db: Db, principal: Principal, id: number, input: { name?: string; disabled?: boolean }, meta: AuditMeta, now: number): Promise<Tenant> {
  const before = await getTenant(db, id);
  if (input.disabled && id === principal.homeTenantId) throw forbidden("You cannot disable your own tenant");
  principalCache.forgetTenant(id);
  const after: Tenant = { ...before, ...(input.name !== undefined ? { name: input.name } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}) };
  await db.batch([
    db.update(tenants).set({ name: after.name, disabled: after.disabled }).where(eq(tenants.id, id)),
    audit(db, principal, "tenant.update", id, publicTenant(before), publicTenant(after), meta, now),
  ]);
  return after;
}

export async function deleteTenant(db: Db, principal: Principal, id: number, meta: AuditMeta, now: number): Promise<void> {
  const before = await getTenant(db, id);
  if (id === principal.homeTenantId) throw forbidden("You cannot delete your own tenant");
  principalCache.forgetTenant(id);
  await db.batch([db.delete(tenants).where(eq(tenants.id, id)), audit(db, principal, "tenant.delete", id, publicTenant(before), null, meta, now)]);
}
