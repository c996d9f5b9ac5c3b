/** API keys: `opk_` + 32 random bytes, shown once, stored as SHA-256, scoped to a tenant and a role, revocable. */
import { and, eq, isNull } from "drizzle-orm";
import type { Principal } from "../context";
import type { Db } from "../db/client";
import { allocateId } from "../db/ids";
import { apiKeys, type ApiKey, type Role } from "../db/schema";
import { ApiError, forbidden, notFound } from "../errors";
import { principalCache } from "../security/principal-cache";
import { canGrant } from "../security/roles";
import { newApiKey } from "../security/tokens";
import { actorOf, auditStatement, type AuditMeta } from "./audit";

export interface PublicApiKey {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  created_by: number | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function publicApiKey(row: ApiKey): PublicApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    created_by: row.createdBy,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
  };
}

export function listApiKeys(db: Db, tenantId: number): Promise<ApiKey[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.id).all();
}

export async function createApiKey(
  db: Db,
  principal: Principal,
  input: { name: string; role: Role; expires_at?: number | null },
  meta: AuditMeta,
  now: number,
): Promise<{ row: ApiKey; key: string }> {
  if (!canGrant(principal.role, input.role)) throw forbidden(`Your role (${principal.role}) cannot create a ${input.role} key`);
  if (input.expires_at !== undefined && input.expires_at !== null && input.expires_at <= now) {
    throw new ApiError(400, "validation_failed", "expires_at must be in the future", { issues: [{ field: "json.expires_at", message: "must be in the future" }] });
  }
  const { key, hash, prefix } = await newApiKey();
  const row: ApiKey = {
    id: await allocateId(db, "api_keys"),
    tenantId: principal.tenantId,
    name: input.name,
    prefix,
    keyHash: hash,
    role: input.role,
    createdBy: principal.type === "user" ? principal.id : null,
    createdAt: now,
    expiresAt: input.expires_at ?? null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await db.batch([
    db.insert(apiKeys).values(row),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "api_key.create", targetType: "api_key", targetId: row.id, after: publicApiKey(row) }, meta, now),
  ]);
  return { row, key };
}

export async function revokeApiKey(db: Db, principal: Principal, id: number, meta: AuditMeta, now: number): Promise<void> {
  const row = await db.select().from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, principal.tenantId))).get();
  if (!row) throw notFound("API key");
  if (row.revokedAt !== null) return;
  principalCache.forgetApiKey(id);
  const after = { ...row, revokedAt: now };
  await db.batch([
    db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "api_key.revoke", targetType: "api_key", targetId: id, before: publicApiKey(row), after: publicApiKey(after) }, meta, now),
  ]);
}
