import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../src/db/client";
import { dataKeys, endpoints, tenants } from "../../src/db/schema";
import { DecryptionError, Envelope } from "../../src/security/envelope";
import { connectableEndpoint } from "../../src/services/endpoints";
import { call, json, loginAdmin, PROXMOX_ENDPOINT } from "../helpers/api";

const KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
const db = makeDb(env.DB);

async function tenant(slug: string): Promise<number> {
  const [row] = await db.insert(tenants).values({ slug, name: slug, createdAt: Date.now() }).returning();
  return row!.id;
}

describe("envelope encryption", () => {
  it("round-trips and binds tenant, table, row and field", async () => {
    const t = await tenant("env-a");
    const envelope = new Envelope(db, { OUTPOST_MASTER_KEY: KEY_A });
    const ctx = { tenantId: t, table: "endpoints", rowId: 7, field: "credentials" };
    const ct = await envelope.encrypt(ctx, "s3cret");
    expect(ct).toMatch(/^v1\.1\./);
    expect(ct).not.toContain("s3cret");
    expect(await envelope.decrypt(ctx, ct)).toBe("s3cret");
    for (const other of [{ ...ctx, rowId: 8 }, { ...ctx, field: "access_client_secret" }, { ...ctx, table: "vault" }]) {
      await expect(envelope.decrypt(other, ct)).rejects.toBeInstanceOf(DecryptionError);
    }
    const t2 = await tenant("env-b");
    await expect(envelope.decrypt({ ...ctx, tenantId: t2 }, ct)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("a ciphertext copied to another endpoint row fails to decrypt (and the API says why, without a 500)", async () => {
    const admin = await loginAdmin();
    const a = await json(await call("/api/v1/endpoints", { token: admin.access_token, body: PROXMOX_ENDPOINT }), 201);
    const b = await json(await call("/api/v1/endpoints", { token: admin.access_token, body: { ...PROXMOX_ENDPOINT, name: "other" } }), 201);
    const rowA = await db.select().from(endpoints).where(eq(endpoints.id, a.id)).get();
    await db.update(endpoints).set({ credentials: rowA!.credentials }).where(eq(endpoints.id, b.id));
    const rowB = await db.select().from(endpoints).where(eq(endpoints.id, b.id)).get();
    const envelope = new Envelope(db, env);
    await expect(connectableEndpoint(envelope, rowB!)).rejects.toBeInstanceOf(DecryptionError);
    await expect(connectableEndpoint(envelope, rowA!)).resolves.toMatchObject({ credentials: PROXMOX_ENDPOINT.credentials });
    const res = await call(`/api/v1/endpoints/${b.id}/test`, { method: "POST", token: admin.access_token });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toMatch(/cannot be decrypted/);
  });

  it("never stores plaintext credentials", async () => {
    const admin = await loginAdmin();
    const created = await json(await call("/api/v1/endpoints", { token: admin.access_token, body: { ...PROXMOX_ENDPOINT, name: "plain-check" } }), 201);
    const row = await db.select().from(endpoints).where(eq(endpoints.id, created.id)).get();
    expect(JSON.stringify(row)).not.toContain(PROXMOX_ENDPOINT.credentials.secret);
  });

  it("rotates the master key by re-wrapping data keys only; ciphertexts are untouched and still decrypt", async () => {
    const t = await tenant("rotate");
    const ctx = { tenantId: t, table: "endpoints", rowId: 1, field: "credentials" };
    const ct = await new Envelope(db, { OUTPOST_MASTER_KEY: KEY_A }).encrypt(ctx, "keep me");
    const before = await db.select().from(dataKeys).where(eq(dataKeys.tenantId, t)).get();

    const withoutPrevious = new Envelope(db, { OUTPOST_MASTER_KEY: KEY_B });
    await expect(withoutPrevious.decrypt(ctx, ct)).rejects.toMatchObject({ status: 503 });

    const rotating = new Envelope(db, { OUTPOST_MASTER_KEY: KEY_B, OUTPOST_MASTER_KEY_PREVIOUS: KEY_A });
    const result = await rotating.rotateMasterKey();
    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    expect((await rotating.rotateMasterKey()).rewrapped).toBe(0);
    const after = await db.select().from(dataKeys).where(eq(dataKeys.tenantId, t)).get();
    expect(after!.wrappedKey).not.toBe(before!.wrappedKey);
    expect(after!.masterKeyId).toBe(await new Envelope(db, { OUTPOST_MASTER_KEY: KEY_B }).currentMasterKeyId());

    expect(await new Envelope(db, { OUTPOST_MASTER_KEY: KEY_B }).decrypt(ctx, ct)).toBe("keep me");
    await expect(new Envelope(db, { OUTPOST_MASTER_KEY: KEY_A }).decrypt(ctx, ct)).rejects.toMatchObject({ status: 503 });
  });
});
