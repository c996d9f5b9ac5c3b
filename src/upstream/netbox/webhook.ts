/**
 * Receiving NetBox webhooks: verify `X-Hook-Signature` (hex HMAC-SHA512 of the raw body with the webhook secret)
 * before parsing, in constant time, then read any version's default body into one shape. Body keys changed in
 * 4.4 (`object_type` added), 4.5 (`model` removed), 4.6 (`request{id,method,path,user}` added) and 4.7
 * (`username`/`request_id` removed); NetBox sends no delivery id and never retries, so the parsed event carries
 * the dedup key the spec recommends.
 */
import { z } from "zod";

const HEX = /^[0-9a-fA-F]{128}$/;

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * True when `signatureHex` is the HMAC-SHA512 of exactly these bytes under `secret`. The comparison is
 * WebCrypto's `verify`, which does not leak where a mismatch starts; a missing or malformed header is false.
 */
export async function verifyNetboxWebhook(rawBody: Uint8Array | string, signatureHex: string | null, secret: string): Promise<boolean> {
  if (signatureHex === null) return false;
  const signature = signatureHex.trim();
  if (!HEX.test(signature)) return false;
  // A copy into a plain ArrayBuffer, which WebCrypto's BufferSource type asks for in every runtime's typings.
  const body = new Uint8Array(typeof rawBody === "string" ? new TextEncoder().encode(rawBody) : rawBody);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-512" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, hexToBytes(signature), body);
}

const BodySchema = z.looseObject({
  event: z.string(),
  timestamp: z.string(),
  object_type: z.string().optional(),
  model: z.string().optional(),
  username: z.string().nullable().optional(),
  request_id: z.string().nullable().optional(),
  data: z.record(z.string(), z.unknown()),
  request: z
    .looseObject({ id: z.string().nullable().optional(), method: z.string().optional(), path: z.string().optional(), user: z.string().nullable().optional() })
    .nullable()
    .optional(),
  snapshots: z
    .looseObject({ prechange: z.record(z.string(), z.unknown()).nullable().optional(), postchange: z.record(z.string(), z.unknown()).nullable().optional() })
    .nullable()
    .optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

export type NetboxWebhookEventType = "created" | "updated" | "deleted" | "job_started" | "job_ended";

export interface NetboxWebhookEvent {
  event: NetboxWebhookEventType;
  timestamp: string;
  /** `app_label.model` (`dcim.site`); derived from `data.url` on ≤ 4.3 bodies, null when it cannot be. */
  objectType: string | null;
  /** The model name (`site`). */
  model: string | null;
  /** `data.id`, when the payload has one. */
  objectId: number | null;
  requestId: string | null;
  username: string | null;
  /** The HTTP method and path of the request that made the change (4.6+). */
  method: string | null;
  path: string | null;
  data: Record<string, unknown>;
  prechange: Record<string, unknown> | null;
  postchange: Record<string, unknown> | null;
  /** Plugin callback data, if any. */
  context: Record<string, unknown> | null;
  /** (request id, object type, object id, event, timestamp): NetBox has no delivery id. */
  dedupKey: string;
}

const EVENTS = new Set<string>(["created", "updated", "deleted", "job_started", "job_ended"]);

/** `/api/dcim/sites/1/` → `dcim.site`, using the model name the ≤ 4.3 body carries. */
function objectTypeFromUrl(url: unknown, model: string | null): string | null {
  if (typeof url !== "string" || !model) return null;
  const m = /\/api\/([a-z_]+)\//.exec(url);
  return m && m[1] !== "plugins" ? `${m[1]}.${model}` : null;
}

/** Parses a webhook body of any NetBox version (the raw text, or JSON already parsed). Throws on a foreign body. */
export function parseNetboxWebhook(body: string | unknown): NetboxWebhookEvent {
  const raw = typeof body === "string" ? (JSON.parse(body) as unknown) : body;
  const parsed = BodySchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(`not a NetBox webhook body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const b = parsed.data;
  if (!EVENTS.has(b.event)) throw new TypeError(`not a NetBox webhook body: unknown event ${JSON.stringify(b.event)}`);
  const model = b.model ?? (b.object_type ? (b.object_type.split(".")[1] ?? null) : null);
  const objectType = b.object_type ?? objectTypeFromUrl(b.data.url, model);
  const requestId = b.request?.id ?? b.request_id ?? null;
  const objectId = typeof b.data.id === "number" ? b.data.id : null;
  return {
    event: b.event as NetboxWebhookEventType,
    timestamp: b.timestamp,
    objectType,
    model,
    objectId,
    requestId,
    username: b.request?.user ?? b.username ?? null,
    method: b.request?.method ?? null,
    path: b.request?.path ?? null,
    data: b.data,
    prechange: b.snapshots?.prechange ?? null,
    postchange: b.snapshots?.postchange ?? null,
    context: b.context ?? null,
    dedupKey: [requestId ?? "", objectType ?? model ?? "", objectId ?? "", b.event, b.timestamp].join("|"),
  };
}
