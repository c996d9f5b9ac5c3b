/**
 * First boot: create the default tenant and the initial super admin from INITIAL_ADMIN_USER /
 * INITIAL_ADMIN_PASSWORD. Idempotent and race-safe (unique slug and username), so every isolate may run it.
 */
import { count, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { tenants, users } from "../db/schema";
import { environmentOf, type AppBindings } from "../env";
import { hashPassword } from "../security/passwords";

export const DEFAULT_TENANT_SLUG = "default";

export type DatabaseState = "ready" | "unmigrated";

export async function databaseState(db: Db): Promise<DatabaseState> {
  try {
    await db.select({ n: count() }).from(tenants).get();
    return "ready";
  } catch {
    return "unmigrated";
  }
}

export async function ensureInitialAdmin(db: Db, env: AppBindings, now = Date.now()): Promise<void> {
  const existing = await db.select({ n: count() }).from(users).get();
  if ((existing?.n ?? 0) > 0) return;
  await db.insert(tenants).values({ slug: DEFAULT_TENANT_SLUG, name: "Default", createdAt: now }).onConflictDoNothing();
  const tenant = await db.select().from(tenants).where(eq(tenants.slug, DEFAULT_TENANT_SLUG)).get();
  if (!tenant) throw new Error("default tenant missing after insert");
  await db
    .insert(users)
    .values({
      tenantId: tenant.id,
      username: env.INITIAL_ADMIN_USER || "admin",
      displayName: "Initial administrator",
      role: "super_admin",
      passwordHash: await hashPassword(env.INITIAL_ADMIN_PASSWORD, env.OUTPOST_PEPPER),
      // In production the seeded password came through deployment tooling; it must be replaced at first login.
      mustChangePassword: environmentOf(env) === "production",
      createdAt: now,
    })
    .onConflictDoNothing();
}
