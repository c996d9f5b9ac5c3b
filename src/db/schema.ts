/**
 * The D1 schema: the single source of tables, migrations (drizzle-kit) and row types.
 * Every table but `tenants` carries `tenant_id`; queries take it from the authenticated principal.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["super_admin", "admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ENDPOINT_KINDS = ["proxmox", "netbox", "routeros"] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export const TRANSPORT_MODES = ["direct", "vpc", "access"] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

const createdAt = () => integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const tenants = sqliteTable("tenants", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    username: text("username").notNull(),
    displayName: text("display_name"),
    email: text("email"),
    role: text("role", { enum: ROLES }).notNull(),
    passwordHash: text("password_hash").notNull(),
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }),
    lastLoginAt: integer("last_login_at", { mode: "number" }),
  },
  // Usernames are global so that login needs no tenant selector.
  (t) => [uniqueIndex("users_username_unique").on(t.username), index("users_tenant_idx").on(t.tenantId)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
    rotatedAt: integer("rotated_at", { mode: "number" }),
    revokedAt: integer("revoked_at", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_unique").on(t.tokenHash), index("refresh_tokens_family_idx").on(t.familyId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the key, shown in lists so a user can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "number" }),
    lastUsedAt: integer("last_used_at", { mode: "number" }),
    revokedAt: integer("revoked_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("api_keys_hash_unique").on(t.keyHash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const authFailures = sqliteTable(
  "auth_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Null while the presented credential matches no known user or key. */
    tenantId: integer("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    source: text("source").notNull(),
    kind: text("kind", { enum: ["password", "api_key", "token"] }).notNull(),
    /** A safe label for admins: the username tried or a key prefix, never the secret. */
    label: text("label").notNull(),
    count: integer("count").notNull(),
    firstAt: integer("first_at", { mode: "number" }).notNull(),
    lastAt: integer("last_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("auth_failures_key_unique").on(t.fingerprint, t.source), index("auth_failures_tenant_idx").on(t.tenantId)],
);

export const dataKeys = sqliteTable(
  "data_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Identifies the master key that wraps this data key (a hash prefix, never the key). */
    masterKeyId: text("master_key_id").notNull(),
    wrappedKey: text("wrapped_key").notNull(),
    createdAt: createdAt(),
    rewrappedAt: integer("rewrapped_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("data_keys_tenant_version_unique").on(t.tenantId, t.version)],
);

export const endpoints = sqliteTable(
  "endpoints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ENDPOINT_KINDS }).notNull(),
    name: text("name").notNull(),
    scheme: text("scheme", { enum: ["https", "http"] }).notNull().default("https"),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    basePath: text("base_path").notNull().default(""),
    verifyTls: integer("verify_tls", { mode: "boolean" }).notNull().default(true),
    transportMode: text("transport_mode", { enum: TRANSPORT_MODES }).notNull().default("direct"),
    vpcBinding: text("vpc_binding"),
    accessClientId: text("access_client_id"),
    /** Encrypted; see security/envelope.ts. */
    accessClientSecret: text("access_client_secret"),
    credentialType: text("credential_type").notNull(),
    /** The non-secret half of the credential (user or token id), kept readable for display. */
    credentialIdentity: text("credential_identity").notNull(),
    /** Encrypted JSON of the whole credential. */
    credentials: text("credentials").notNull(),
    site: text("site"),
    tenantLabel: text("tenant_label"),
    timeoutMs: integer("timeout_ms").notNull().default(10000),
    retries: integer("retries").notNull().default(2),
    backoffMs: integer("backoff_ms").notNull().default(250),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("endpoints_tenant_kind_name_unique").on(t.tenantId, t.kind, t.name), index("endpoints_tenant_idx").on(t.tenantId)],
);

/**
 * Ids handed out before a row is written, so a row and its audit entry go in one atomic batch and encrypted
 * fields can bind the row id into their associated data (the ciphertext must exist before the INSERT).
 */
export const idSequences = sqliteTable("id_sequences", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "number" }).notNull(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: integer("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    requestId: text("request_id"),
    source: text("source"),
  },
  (t) => [index("audit_log_tenant_at_idx").on(t.tenantId, t.at)],
);

export type Tenant = typeof tenants.$inferSelect;
export type User = typeof users.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Endpoint = typeof endpoints.$inferSelect;
export type NewEndpoint = typeof endpoints.$inferInsert;
export type AuditEntry = typeof auditLog.$inferSelect;
export type AuthFailure = typeof authFailures.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
