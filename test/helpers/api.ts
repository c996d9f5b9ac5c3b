/** Calls the Worker the way a client would, and builds principals of every role for tests. */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";

export const BASE = "http://outpost.test";
export const ADMIN = { username: env.INITIAL_ADMIN_USER, password: env.INITIAL_ADMIN_PASSWORD };

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  source?: string;
  /** Extra bindings for this call, e.g. a mocked Workers VPC service. */
  bindings?: Record<string, unknown>;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.source) headers.set("cf-connecting-ip", options.source);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  // The Worker's own fetch handler, called directly: the pool's service binding slows down with every call it serves.
  return await worker.fetch(new Request(BASE + path, { method: options.method ?? (body ? "POST" : "GET"), headers, body }), { ...env, ...options.bindings }, createExecutionContext());
}

export async function json<T = any>(res: Response, status?: number): Promise<T> {
  const text = await res.text();
  if (status !== undefined) expect(res.status, `${res.status} ${text}`).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  csrf_token: string;
  user: { id: number; tenant_id: number; role: string; username: string };
}

export async function login(username: string, password: string, source?: string): Promise<Session> {
  return json<Session>(await call("/api/v1/auth/login", { body: { username, password }, source }), 200);
}

export async function loginAdmin(): Promise<Session> {
  return login(ADMIN.username, ADMIN.password);
}

let counter = 0;

/** Creates a user with `role` in the admin's tenant (or another via `tenantId`) and signs it in. */
export async function userWithRole(adminToken: string, role: string, tenantId?: number): Promise<Session> {
  const username = `${role.replace("_", "")}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const password = `Pw-${Math.random().toString(36).slice(2)}-long-enough`;
  const headers: Record<string, string> = tenantId ? { "x-outpost-tenant": String(tenantId) } : {};
  await json(await call("/api/v1/users", { token: adminToken, headers, body: { username, password, role, must_change_password: false } }), 201);
  return login(username, password);
}

export async function createTenant(adminToken: string, slug: string): Promise<{ id: number; slug: string }> {
  return json(await call("/api/v1/tenants", { token: adminToken, body: { slug, name: slug } }), 201);
}

export const PROXMOX_ENDPOINT = {
  kind: "proxmox",
  name: "lab-pve",
  scheme: "http",
  host: "pve.lab",
  port: 8006,
  credentials: { type: "token", token_id: "root@pam!outpost", secret: "0b6b1f1e-7c1d-4f3a-9e2b-5d8c7a6b4e3f" },
};
