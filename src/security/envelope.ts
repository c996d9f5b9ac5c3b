/**
 * Envelope encryption of stored secrets.
 *
 * The master key (`OUTPOST_MASTER_KEY`, 32 bytes) wraps one data key per tenant and version; each secret
 * field is AES-256-GCM under the tenant's data key with associated data naming tenant, table, row and field,
 * so a ciphertext copied anywhere else fails to decrypt. Rotating the master key re-wraps data keys only.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { dataKeys } from "../db/schema";
import { masterKeyBytes, type AppBindings } from "../env";
import { ApiError } from "../errors";
import { fromBase64Url, randomBytes, sha256Hex, toBase64Url, utf8 } from "./encoding";

export interface FieldContext {
  tenantId: number;
  table: string;
  rowId: number | string;
  field: string;
}

const CIPHERTEXT_VERSION = "v1";

/** A stored secret that will not open: the master key changed without rotation, or the data was tampered with. */
export class DecryptionError extends ApiError {
  constructor(reason: string) {
    super(503, "misconfigured", `A stored secret cannot be decrypted (${reason}); check OUTPOST_MASTER_KEY`);
    this.name = "DecryptionError";
  }
}

interface MasterKey {
  id: string;
  key: CryptoKey;
}

async function importMasterKey(encoded: string | undefined): Promise<MasterKey | null> {
  const bytes = masterKeyBytes(encoded);
  if (!bytes) return null;
  const id = "mk_" + (await sha256Hex(toBase64Url(bytes))).slice(0, 16);
  const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id, key };
}

function fieldAad(ctx: FieldContext): Uint8Array {
  return utf8.encode(`outpost:field:tenant=${ctx.tenantId}:table=${ctx.table}:row=${ctx.rowId}:field=${ctx.field}`);
}

function dataKeyAad(tenantId: number, version: number): Uint8Array {
  return utf8.encode(`outpost:data-key:tenant=${tenantId}:version=${version}`);
}

async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<string> {
  const iv = randomBytes(12);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, plaintext));
  return `${toBase64Url(iv)}.${toBase64Url(ct)}`;
}

async function open(key: CryptoKey, sealed: string, aad: Uint8Array): Promise<Uint8Array> {
  const [ivText, ctText] = sealed.split(".");
  if (!ivText || !ctText) throw new DecryptionError("malformed ciphertext");
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(ivText), additionalData: aad }, key, fromBase64Url(ctText)),
    );
  } catch {
    throw new DecryptionError("ciphertext does not belong to this tenant, row and field, or was altered");
  }
}

export class Envelope {
  private current?: Promise<MasterKey>;
  private previous?: Promise<MasterKey | null>;
  private readonly dataKeyCache = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly db: Db,
    private readonly env: Pick<AppBindings, "OUTPOST_MASTER_KEY" | "OUTPOST_MASTER_KEY_PREVIOUS">,
  ) {}

  private currentMasterKey(): Promise<MasterKey> {
    this.current ??= importMasterKey(this.env.OUTPOST_MASTER_KEY).then((k) => {
      if (!k) throw new ApiError(503, "misconfigured", "OUTPOST_MASTER_KEY must be 32 random bytes, base64-encoded");
      return k;
    });
    return this.current;
  }

  private previousMasterKey(): Promise<MasterKey | null> {
    this.previous ??= importMasterKey(this.env.OUTPOST_MASTER_KEY_PREVIOUS);
    return this.previous;
  }

  private async masterKeyById(id: string): Promise<MasterKey> {
    const current = await this.currentMasterKey();
    if (current.id === id) return current;
    const previous = await this.previousMasterKey();
    if (previous?.id === id) return previous;
    throw new DecryptionError(`its data key is wrapped by master key ${id}, which is not configured`);
  }

  private async unwrap(row: typeof dataKeys.$inferSelect): Promise<CryptoKey> {
    const master = await this.masterKeyById(row.masterKeyId);
    const raw = await open(master.key, row.wrappedKey, dataKeyAad(row.tenantId, row.version));
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  }

  private async latestDataKey(tenantId: number): Promise<{ version: number; key: CryptoKey }> {
    let row = await this.db.select().from(dataKeys).where(eq(dataKeys.tenantId, tenantId)).orderBy(desc(dataKeys.version)).get();
    if (!row) {
      const master = await this.currentMasterKey();
      const wrappedKey = await seal(master.key, randomBytes(32), dataKeyAad(tenantId, 1));
      // Two first writers may race; the unique (tenant, version) index keeps exactly one key.
      await this.db.insert(dataKeys).values({ tenantId, version: 1, masterKeyId: master.id, wrappedKey, createdAt: Date.now() }).onConflictDoNothing();
      row = await this.db.select().from(dataKeys).where(eq(dataKeys.tenantId, tenantId)).orderBy(desc(dataKeys.version)).get();
      if (!row) throw new Error("data key vanished after insert");
    }
    return { version: row.version, key: await this.cachedKey(row) };
  }

  private cachedKey(row: typeof dataKeys.$inferSelect): Promise<CryptoKey> {
    const cacheKey = `${row.tenantId}:${row.version}`;
    let key = this.dataKeyCache.get(cacheKey);
    if (!key) {
      key = this.unwrap(row);
      this.dataKeyCache.set(cacheKey, key);
    }
    return key;
  }

  private async dataKeyVersion(tenantId: number, version: number): Promise<CryptoKey> {
    const row = await this.db
      .select()
      .from(dataKeys)
      .where(and(eq(dataKeys.tenantId, tenantId), eq(dataKeys.version, version)))
      .get();
    if (!row) throw new DecryptionError(`tenant ${tenantId} has no data key version ${version}`);
    return this.cachedKey(row);
  }

  /** Encrypts `plaintext` for exactly one (tenant, table, row, field). Format: `v1.<dk version>.<iv>.<ct>`. */
  async encrypt(ctx: FieldContext, plaintext: string): Promise<string> {
    const { version, key } = await this.latestDataKey(ctx.tenantId);
    return `${CIPHERTEXT_VERSION}.${version}.${await seal(key, utf8.encode(plaintext), fieldAad(ctx))}`;
  }

  async decrypt(ctx: FieldContext, ciphertext: string): Promise<string> {
    const [format, versionText, iv, ct] = ciphertext.split(".");
    const version = Number(versionText);
    if (format !== CIPHERTEXT_VERSION || !Number.isInteger(version) || !iv || !ct) throw new DecryptionError("unknown ciphertext format");
    const key = await this.dataKeyVersion(ctx.tenantId, version);
    return new TextDecoder().decode(await open(key, `${iv}.${ct}`, fieldAad(ctx)));
  }

  async encryptJson(ctx: FieldContext, value: unknown): Promise<string> {
    return this.encrypt(ctx, JSON.stringify(value));
  }

  async decryptJson<T>(ctx: FieldContext, ciphertext: string): Promise<T> {
    return JSON.parse(await this.decrypt(ctx, ciphertext)) as T;
  }

  /**
   * Re-wraps every data key still wrapped by the previous master key with the current one.
   * Ciphertexts are untouched: they depend on data keys, which do not change.
   */
  async rotateMasterKey(now = Date.now()): Promise<{ masterKeyId: string; rewrapped: number; remaining: number }> {
    const current = await this.currentMasterKey();
    const stale = await this.db.select().from(dataKeys).where(ne(dataKeys.masterKeyId, current.id)).all();
    let rewrapped = 0;
    const previous = await this.previousMasterKey();
    for (const row of stale) {
      // Keys wrapped by a master key that is neither current nor previous stay as they are and count as remaining.
      if (row.masterKeyId !== previous?.id) continue;
      const master = previous;
      const raw = await open(master.key, row.wrappedKey, dataKeyAad(row.tenantId, row.version));
      const wrappedKey = await seal(current.key, raw, dataKeyAad(row.tenantId, row.version));
      // Conditional on the old wrapping so two concurrent rotations cannot clobber each other.
      const res = await this.db
        .update(dataKeys)
        .set({ wrappedKey, masterKeyId: current.id, rewrappedAt: now })
        .where(and(eq(dataKeys.id, row.id), eq(dataKeys.masterKeyId, row.masterKeyId)))
        .run();
      rewrapped += res.meta.changes ?? 0;
    }
    const remaining = (await this.db.select({ id: dataKeys.id }).from(dataKeys).where(ne(dataKeys.masterKeyId, current.id)).all()).length;
    return { masterKeyId: current.id, rewrapped, remaining };
  }

  async currentMasterKeyId(): Promise<string> {
    return (await this.currentMasterKey()).id;
  }
}
