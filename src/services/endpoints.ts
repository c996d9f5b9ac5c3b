/**
 * Endpoints: the on-prem Proxmox, NetBox and RouterOS services of a tenant. Credentials (and an Access service
 * token secret) are encrypted per field with the row id bound in, and never leave this module in clear except
 * to build an upstream client.
 */
import { and, eq, getTableColumns, type SQL } from "drizzle-orm";
import { TtlCache } from "../cache/ttl-cache";
import type { Principal, Services } from "../context";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { allocateId } from "../db/ids";
import { endpoints, type Endpoint, type EndpointKind } from "../db/schema";
import { ApiError, conflict, notFound } from "../errors";
import type { Envelope } from "../security/envelope";
import type { EndpointCreate, EndpointUpdate, PublicEndpoint } from "../api/endpoints/schemas";
import {
  NetboxCredentialsSchema,
  ProxmoxCredentialsSchema,
  RouterosCredentialsSchema,
  type NetboxCredentials,
  type ProxmoxCredentials,
  type RouterosCredentials,
} from "../upstream/credentials";
import type { TransportSettings, UpstreamTarget } from "../upstream/transport";
import { actorOf, auditStatement, type AuditMeta } from "./audit";

export type EndpointCredentials = ProxmoxCredentials | NetboxCredentials | RouterosCredentials;

const CREDENTIAL_SCHEMAS = { proxmox: ProxmoxCredentialsSchema, netbox: NetboxCredentialsSchema, routeros: RouterosCredentialsSchema } as const;

export function defaultPort(kind: EndpointKind, scheme: "http" | "https"): number {
  if (kind === "proxmox") return 8006;
  return scheme === "https" ? 443 : 80;
}

function validCredentials(kind: EndpointKind, value: unknown): EndpointCredentials {
  const parsed = CREDENTIAL_SCHEMAS[kind].safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: ["json", "credentials", ...i.path.map(String)].join("."), message: i.message }));
    throw new ApiError(400, "validation_failed", `credentials do not fit a ${kind} endpoint: ${issues[0]?.message ?? "invalid"}`, { issues });
  }
  return parsed.data;
}

/** The part of a credential that identifies without granting anything. */
export function credentialIdentity(creds: EndpointCredentials): string {
  switch (creds.type) {
    case "token":
      return creds.token_id;
    case "password":
      return creds.username;
    case "token_v2":
      return `nbt_${creds.key}`;
    case "token_v1":
      return "v1 token";
  }
}

/** Workers' fetch cannot skip certificate checks, so a self-signed origin must sit behind VPC or Access. */
function assertReachable(fields: { scheme: string; verifyTls: boolean; transportMode: string }): void {
  if (!fields.verifyTls && fields.scheme === "https" && fields.transportMode === "direct") {
    throw new ApiError(
      400,
      "validation_failed",
      "verify_tls=false needs transport vpc (cert_verification_mode: disabled) or access (tunnel with noTLSVerify): a Worker cannot skip certificate checks on a direct URL",
      { issues: [{ field: "json.verify_tls", message: "not possible with transport direct over https" }] },
    );
  }
}

function fieldContext(tenantId: number, id: number, field: "credentials" | "access_client_secret") {
  return { tenantId, table: "endpoints", rowId: id, field };
}

/** Everything but the ciphertexts: listing never reads secrets out of the database. */
export type EndpointListing = Omit<Endpoint, "credentials" | "accessClientSecret">;

const { credentials: _credentials, accessClientSecret: _accessClientSecret, ...listingColumns } = getTableColumns(endpoints);

export function publicEndpoint(row: EndpointListing): PublicEndpoint {
  const transport: PublicEndpoint["transport"] = { mode: row.transportMode };
  if (row.transportMode === "vpc" && row.vpcBinding) transport.binding = row.vpcBinding;
  if (row.transportMode === "access" && row.accessClientId) transport.client_id = row.accessClientId;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    scheme: row.scheme,
    host: row.host,
    port: row.port,
    base_path: row.basePath,
    verify_tls: row.verifyTls,
    transport,
    credentials: { type: row.credentialType, identity: row.credentialIdentity },
    site: row.site,
    tenant_label: row.tenantLabel,
    timeout_ms: row.timeoutMs,
    retries: row.retries,
    backoff_ms: row.backoffMs,
    enabled: row.enabled,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/**
 * Listings are the hottest read (dashboards, schedulers); they are cached per isolate for ENDPOINT_LIST_TTL_MS.
 * Writes through this isolate evict the tenant's listings at once; other isolates may show the previous list for
 * up to the TTL, unless the caller asks for `fresh` (HTTP `Cache-Control: no-cache`).
 */
export const ENDPOINT_LIST_TTL_MS = 5_000;
const listings = new TtlCache<EndpointListing[]>(ENDPOINT_LIST_TTL_MS, 1_000);

function forgetListings(tenantId: number): void {
  listings.deleteWhere((_rows, key) => key.startsWith(`${tenantId}|`));
}

export interface ListFilter {
  kind?: EndpointKind;
  site?: string;
  enabled?: boolean;
}

/** Without `cache` the listing always comes from D1 and is not stored. */
export async function listEndpoints(db: Db, tenantId: number, filter: ListFilter = {}, cache?: { fresh: boolean; now: number }): Promise<EndpointListing[]> {
  const key = `${tenantId}|${filter.kind ?? ""}|${filter.site ?? ""}|${filter.enabled ?? ""}`;
  const cached = cache && !cache.fresh ? listings.get(key, cache.now) : undefined;
  if (cached) return cached;
  const conditions: SQL[] = [eq(endpoints.tenantId, tenantId)];
  if (filter.kind) conditions.push(eq(endpoints.kind, filter.kind));
  if (filter.site !== undefined) conditions.push(eq(endpoints.site, filter.site));
  if (filter.enabled !== undefined) conditions.push(eq(endpoints.enabled, filter.enabled));
  const rows = await db.select(listingColumns).from(endpoints).where(and(...conditions)).orderBy(endpoints.id).all();
  if (cache) listings.set(key, rows, cache.now);
  return rows;
}

export async function getEndpoint(db: Db, tenantId: number, id: number): Promise<Endpoint> {
  const row = await db.select().from(endpoints).where(and(eq(endpoints.id, id), eq(endpoints.tenantId, tenantId))).get();
  if (!row) throw notFound("Endpoint");
  return row;
}

interface TransportColumns {
  transportMode: Endpoint["transportMode"];
  vpcBinding: string | null;
  accessClientId: string | null;
  accessClientSecret: string | null;
}

async function transportColumns(envelope: Envelope, tenantId: number, id: number, transport: EndpointCreate["transport"]): Promise<TransportColumns> {
  const t = transport ?? { mode: "direct" as const };
  return {
    transportMode: t.mode,
    vpcBinding: t.mode === "vpc" ? t.binding : null,
    accessClientId: t.mode === "access" ? t.client_id : null,
    accessClientSecret: t.mode === "access" ? await envelope.encrypt(fieldContext(tenantId, id, "access_client_secret"), t.client_secret) : null,
  };
}

function unique<T>(promise: Promise<T>, name: string, kind: string): Promise<T> {
  return promise.catch((err: unknown) => {
    if (isUniqueViolation(err)) throw conflict(`A ${kind} endpoint named "${name}" already exists`);
    throw err;
  });
}

export async function createEndpoint(services: Services, principal: Principal, input: EndpointCreate, meta: AuditMeta): Promise<Endpoint> {
  const { db, envelope } = services;
  const now = services.now();
  const tenantId = principal.tenantId;
  const scheme = input.scheme ?? "https";
  const verifyTls = input.verify_tls ?? true;
  assertReachable({ scheme, verifyTls, transportMode: input.transport?.mode ?? "direct" });
  const id = await allocateId(db, "endpoints");
  const credentials = validCredentials(input.kind, input.credentials);
  const row: Endpoint = {
    id,
    tenantId,
    kind: input.kind,
    name: input.name,
    scheme,
    host: input.host,
    port: input.port ?? defaultPort(input.kind, scheme),
    basePath: input.base_path ?? "",
    verifyTls,
    ...(await transportColumns(envelope, tenantId, id, input.transport)),
    credentialType: credentials.type,
    credentialIdentity: credentialIdentity(credentials),
    credentials: await envelope.encryptJson(fieldContext(tenantId, id, "credentials"), credentials),
    site: input.site ?? null,
    tenantLabel: input.tenant_label ?? null,
    timeoutMs: input.timeout_ms ?? 10_000,
    retries: input.retries ?? 2,
    backoffMs: input.backoff_ms ?? 250,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: null,
  };
  await unique(
    db.batch([
      db.insert(endpoints).values(row),
      auditStatement(db, actorOf(principal), { tenantId, action: "endpoint.create", targetType: "endpoint", targetId: id, after: publicEndpoint(row) }, meta, now),
    ]),
    input.name,
    input.kind,
  );
  forgetListings(tenantId);
  return row;
}

export async function updateEndpoint(services: Services, principal: Principal, id: number, input: EndpointUpdate, meta: AuditMeta): Promise<Endpoint> {
  const { db, envelope } = services;
  const now = services.now();
  const tenantId = principal.tenantId;
  const before = await getEndpoint(db, tenantId, id);
  const after: Endpoint = { ...before, updatedAt: now };
  if (input.name !== undefined) after.name = input.name;
  if (input.scheme !== undefined) after.scheme = input.scheme;
  if (input.host !== undefined) after.host = input.host;
  if (input.port !== undefined) after.port = input.port;
  if (input.base_path !== undefined) after.basePath = input.base_path;
  if (input.verify_tls !== undefined) after.verifyTls = input.verify_tls;
  if (input.site !== undefined) after.site = input.site;
  if (input.tenant_label !== undefined) after.tenantLabel = input.tenant_label;
  if (input.enabled !== undefined) after.enabled = input.enabled;
  if (input.timeout_ms !== undefined) after.timeoutMs = input.timeout_ms;
  if (input.retries !== undefined) after.retries = input.retries;
  if (input.backoff_ms !== undefined) after.backoffMs = input.backoff_ms;
  if (input.transport !== undefined) Object.assign(after, await transportColumns(envelope, tenantId, id, input.transport));
  if (input.credentials !== undefined) {
    const credentials = validCredentials(before.kind, input.credentials);
    after.credentialType = credentials.type;
    after.credentialIdentity = credentialIdentity(credentials);
    after.credentials = await envelope.encryptJson(fieldContext(tenantId, id, "credentials"), credentials);
  }
  assertReachable(after);
  const { id: _id, tenantId: _tenant, createdAt: _created, ...changes } = after;
  await unique(
    db.batch([
      db.update(endpoints).set(changes).where(and(eq(endpoints.id, id), eq(endpoints.tenantId, tenantId))),
      auditStatement(
        db,
        actorOf(principal),
        {
          tenantId,
          action: "endpoint.update",
          targetType: "endpoint",
          targetId: id,
          before: publicEndpoint(before),
          after: { ...publicEndpoint(after), ...(input.credentials !== undefined ? { credentials_replaced: true } : {}) },
        },
        meta,
        now,
      ),
    ]),
    after.name,
    after.kind,
  );
  forgetListings(tenantId);
  return after;
}

export async function deleteEndpoint(services: Services, principal: Principal, id: number, meta: AuditMeta): Promise<void> {
  const { db } = services;
  const now = services.now();
  const before = await getEndpoint(db, principal.tenantId, id);
  await db.batch([
    db.delete(endpoints).where(and(eq(endpoints.id, id), eq(endpoints.tenantId, principal.tenantId))),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "endpoint.delete", targetType: "endpoint", targetId: id, before: publicEndpoint(before) }, meta, now),
  ]);
  forgetListings(principal.tenantId);
}

export interface ConnectableEndpoint {
  endpoint: Endpoint;
  target: UpstreamTarget;
  credentials: EndpointCredentials;
}

/** Decrypts what is needed to talk to the endpoint: the upstream target and its credentials. */
export async function connectableEndpoint(envelope: Envelope, row: Endpoint): Promise<ConnectableEndpoint> {
  const credentials = await envelope.decryptJson<EndpointCredentials>(fieldContext(row.tenantId, row.id, "credentials"), row.credentials);
  let transport: TransportSettings = { mode: "direct" };
  if (row.transportMode === "vpc") transport = { mode: "vpc", binding: row.vpcBinding ?? "" };
  if (row.transportMode === "access") {
    transport = {
      mode: "access",
      clientId: row.accessClientId ?? "",
      clientSecret: await envelope.decrypt(fieldContext(row.tenantId, row.id, "access_client_secret"), row.accessClientSecret ?? ""),
    };
  }
  return {
    endpoint: row,
    credentials,
    target: {
      label: `${row.kind} endpoint "${row.name}"`,
      scheme: row.scheme,
      host: row.host,
      port: row.port,
      basePath: row.basePath,
      transport,
      timeoutMs: row.timeoutMs,
      retries: row.retries,
      backoffMs: row.backoffMs,
    },
  };
}
