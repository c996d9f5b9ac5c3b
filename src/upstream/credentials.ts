/**
 * Credential shapes per endpoint kind: the one source for API validation, OpenAPI, storage (encrypted as JSON)
 * and the typed clients.
 */
import { z } from "@hono/zod-openapi";

const secret = (what: string) => z.string().min(1, `${what} is required`).max(4096);

/** Proxmox user ids are `user@realm`; API token ids are `user@realm!tokenname`. */
export const ProxmoxCredentialsSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("token"),
    token_id: z.string().regex(/^[^\s@!]+@[A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/, "token_id must look like user@realm!tokenname"),
    secret: secret("secret"),
  }),
  z.object({
    type: z.literal("password"),
    username: z.string().regex(/^[^\s@!]+@[A-Za-z0-9.\-_]+$/, "username must look like user@realm"),
    password: secret("password"),
  }),
]);

export const NetboxCredentialsSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("token_v1"), token: z.string().regex(/^[A-Za-z0-9]{40}$/, "a v1 token is 40 letters and digits") }),
  z.object({
    type: z.literal("token_v2"),
    key: z.string().regex(/^[A-Za-z0-9]{12}$/, "a v2 token key is 12 letters and digits"),
    secret: z.string().regex(/^[A-Za-z0-9]{40}$/, "a v2 token secret is 40 letters and digits"),
  }),
]);

export const RouterosCredentialsSchema = z.object({
  type: z.literal("password"),
  username: z.string().min(1).max(64),
  password: z.string().max(4096),
});

export type ProxmoxCredentials = z.infer<typeof ProxmoxCredentialsSchema>;
export type NetboxCredentials = z.infer<typeof NetboxCredentialsSchema>;
export type RouterosCredentials = z.infer<typeof RouterosCredentialsSchema>;
