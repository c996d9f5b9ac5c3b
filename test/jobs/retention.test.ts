import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../src/db/client";
import { auditLog, authFailures, refreshTokens } from "../../src/db/schema";
import worker from "../../src/index";
import { AUDIT_RETENTION_DAYS } from "../../src/jobs/retention";
import { DAILY } from "../../src/jobs/scheduled";
import { loginAdmin } from "../helpers/api";

const db = makeDb(env.DB);
const DAY = 86_400_000;

describe("daily retention", () => {
  it("removes expired refresh tokens, stale failures and old audit entries, and keeps live ones", async () => {
    const admin = await loginAdmin();
    const now = Date.now();
    const base = { tenantId: admin.user.tenant_id, userId: admin.user.id, createdAt: now };
    await db.insert(refreshTokens).values([
      { ...base, familyId: "old", tokenHash: "expired", expiresAt: now - 1 },
      { ...base, familyId: "live", tokenHash: "live", expiresAt: now + DAY },
    ]);
    await db.insert(authFailures).values([
      { fingerprint: "f1", source: "s", kind: "password", label: "x", count: 5, firstAt: now - 2 * DAY, lastAt: now - 2 * DAY },
      { fingerprint: "f2", source: "s", kind: "password", label: "y", count: 1, firstAt: now, lastAt: now },
    ]);
    const actor = { tenantId: admin.user.tenant_id, actorType: "system" as const, actorLabel: "system", action: "x", targetType: "t" };
    await db.insert(auditLog).values([
      { ...actor, at: now - (AUDIT_RETENTION_DAYS + 1) * DAY },
      { ...actor, at: now },
    ]);
    const audited = (await db.select({ n: count() }).from(auditLog).get())!.n;

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env, ctx);
    await waitOnExecutionContext(ctx);

    const tokens = (await db.select().from(refreshTokens).all()).map((t) => t.tokenHash);
    expect(tokens).not.toContain("expired");
    expect(tokens).toContain("live");
    expect((await db.select().from(authFailures).all()).map((f) => f.fingerprint)).toEqual(["f2"]);
    expect((await db.select({ n: count() }).from(auditLog).get())!.n).toBe(audited - 1);
  });
});
