/**
 * Endpoint request and response shapes: the one source for validation, OpenAPI and the service's types.
 * Credentials are write-only: accepted on create/update, never returned.
 */
import { z } from "@hono/zod-openapi";
import { ENDPOINT_KINDS, TRANSPORT_MODES } from "../../db/schema";
import { NetboxCredentialsSchema, ProxmoxCredentialsSchema, RouterosCredentialsSchema } from "../../upstream/credentials";
import { Timestamp } from "../openapi";

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

export const HostSchema = z
  .string()
  .trim()
  .refine((h) => HOSTNAME.test(h) || (h.includes(":") && IPV6.test(h)), "must be a host name or IP address, without scheme, port or path")
  .openapi({ example: "pve1.lab.example.com" });

export const TransportSchema = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("direct") }).strict(),
    z
      .object({
        mode: z.literal("vpc"),
        binding: z.string().regex(/^[A-Z][A-Z0-9_]{0,62}$/, "a Worker binding name such as PVE_LAB1"),
      })
      .strict(),
    z
      .object({
        mode: z.literal("access"),
        client_id: z.string().min(1).max(256),
        client_secret: z.string().min(1).max(4096),
      })
      .strict(),
  ])
  .openapi("EndpointTransport", {
    description: "How Outpost reaches the endpoint: a plain URL, a Workers VPC binding, or a tunnel hostname behind Cloudflare Access",
  });

const tuning = {
  timeout_ms: z.number().int().min(100).max(120_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  backoff_ms: z.number().int().min(0).max(60_000).optional(),
};

const common = {
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "letters, digits, space, . _ -"),
  scheme: z.enum(["https", "http"]).optional(),
  host: HostSchema,
  port: z.number().int().min(1).max(65535).optional(),
  base_path: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, "a path such as /netbox, without a trailing slash")
    .max(128)
    .optional(),
  verify_tls: z.boolean().optional(),
  transport: TransportSchema.optional(),
  site: z.string().max(100).nullable().optional(),
  tenant_label: z.string().max(100).nullable().optional(),
  enabled: z.boolean().optional(),
  ...tuning,
};

export const EndpointCreateSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("proxmox"), ...common, credentials: ProxmoxCredentialsSchema }).strict(),
    z.object({ kind: z.literal("netbox"), ...common, credentials: NetboxCredentialsSchema }).strict(),
    z.object({ kind: z.literal("routeros"), ...common, credentials: RouterosCredentialsSchema }).strict(),
  ])
  .openapi("EndpointCreate");

/** Everything is optional; `kind` cannot change; `credentials` replaces the stored credential as a whole. */
export const EndpointUpdateSchema = z
  .object(common)
  .partial()
  .extend({ credentials: z.union([ProxmoxCredentialsSchema, NetboxCredentialsSchema, RouterosCredentialsSchema]).optional() })
  .strict()
  .openapi("EndpointUpdate");

export type EndpointCreate = z.infer<typeof EndpointCreateSchema>;
export type EndpointUpdate = z.infer<typeof EndpointUpdateSchema>;

export const EndpointSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(ENDPOINT_KINDS),
    name: z.string(),
    scheme: z.enum(["https", "http"]),
    host: z.string(),
    port: z.number().int(),
    base_path: z.string(),
    verify_tls: z.boolean(),
    transport: z.object({
      mode: z.enum(TRANSPORT_MODES),
      binding: z.string().optional(),
      client_id: z.string().optional(),
    }),
    credentials: z.object({
      type: z.string(),
      identity: z.string().openapi({ description: "The non-secret part: user, token id or token key" }),
    }),
    site: z.string().nullable(),
    tenant_label: z.string().nullable(),
    timeout_ms: z.number().int(),
    retries: z.number().int(),
    backoff_ms: z.number().int(),
    enabled: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp.nullable(),
  })
  .openapi("Endpoint");

export const EndpointListSchema = z.object({ endpoints: z.array(EndpointSchema) }).openapi("EndpointList");

export const EndpointListQuery = z.object({
  kind: z.enum(ENDPOINT_KINDS).optional(),
  site: z.string().max(100).optional(),
  enabled: z.enum(["true", "false"]).optional(),
});

export const EndpointTestResultSchema = z
  .object({
    ok: z.literal(true),
    kind: z.enum(ENDPOINT_KINDS),
    version: z.string(),
    latency_ms: z.number(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("EndpointTestResult");

export type PublicEndpoint = z.infer<typeof EndpointSchema>;
