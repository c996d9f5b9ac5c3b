/**
 * The request pipeline of pveproxy/pvedaemon, in PVE's order: authentication (token header, or ticket cookie plus
 * CSRF header on writes) → handler lookup (501) → parameter extraction (form or JSON body, query, path) →
 * `allowtoken` → the endpoint's declared permission → the node proxy step → strict parameter validation →
 * handler → `{data}` envelope. Errors are rendered in PVE's shapes.
 */
import type { Hono } from "hono";
import { charge, countAs, type SimContext, type SimEnv } from "../common/harness";
import { splitTokenId, type AuthInfo } from "./access";
import type { PermCheck } from "./disks";
import { PveError, authFailure, dataResponse, errorResponse, notImplemented, paramError, permissionDenied } from "./errors";
import { endpoint } from "./schema";
import type { EndpointDecl } from "./schema/types";
import type { SimState } from "./state";
import { validateParams, type ParamValues } from "./validate";

export const API_PREFIX = "/api2/json";
const MAX_BODY = 512 * 1024;

export interface HandlerContext {
  state: SimState;
  auth: AuthInfo;
  params: ParamValues;
  isRoot: boolean;
  /** Throws PVE's 403 unless the caller holds the privileges on `path` (all of them, or any with `any`). */
  check: PermCheck;
  can: (path: string, privs: readonly string[], any?: boolean) => boolean;
}

export interface HandlerResult {
  data: unknown;
  /** Extra top-level envelope keys (`total`, `changes`). */
  extra?: Record<string, unknown>;
  reads?: number;
  writes?: number;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

export interface RouteSpec {
  perm?: { path: string; privs: readonly string[]; any?: boolean };
  handler: Handler;
}

export interface RouterOptions {
  /** PVE delays every 401 by about 3 s; off by default so tests stay fast. */
  authFailureDelayMs: number;
}

export class PveRouter {
  readonly served: EndpointDecl[] = [];

  constructor(
    private readonly app: Hono<SimEnv>,
    private readonly state: SimState,
    private readonly options: RouterOptions,
  ) {}

  on(key: string, spec: RouteSpec): void {
    const decl = endpoint(key);
    this.served.push(decl);
    const honoPath = API_PREFIX + decl.path.replace(/\{(\w+)\}/g, ":$1");
    this.app.on(decl.method, honoPath, (c) => this.serve(c, decl, spec));
  }

  /** Mounts the 501 fallback; call after all routes. */
  finish(): void {
    this.app.all(`${API_PREFIX}/*`, (c) => this.serve(c, undefined, undefined));
  }

  private async serve(c: SimContext, decl: EndpointDecl | undefined, spec: RouteSpec | undefined): Promise<Response> {
    const method = c.req.method;
    const relPath = safeDecode(new URL(c.req.url).pathname.slice(API_PREFIX.length));
    countAs(c, decl ? API_PREFIX + decl.path : `${API_PREFIX}/*`);
    this.state.settle();
    try {
      const { auth, apiToken } = this.authenticate(c.req.raw, method, relPath);
      if (!decl || !spec) throw notImplemented(method, relPath);
      const pathParams = c.req.param() as Record<string, string>;
      const raw = await extractParams(c.req.raw, method, pathParams);
      if (decl.allowtoken === false && apiToken) {
        throw permissionDenied(`URI '${relPath}' not available with API token, need proper ticket.`);
      }
      const caller = auth ?? { authid: "", userid: "", viaTicket: false };
      const isRoot = this.state.access.isRoot(caller.authid);
      const can = (path: string, privs: readonly string[], any = false) => isRoot || this.state.access.has(caller.authid, path, privs, any);
      const check: PermCheck = (path, privs, any = false) => {
        if (can(path, privs, any)) return;
        if (any) throw permissionDenied(`${path}, ${privs.join("|")}`);
        const missing = privs.find((p) => !this.state.access.has(caller.authid, path, [p]));
        throw permissionDenied(`${path}, ${missing}`);
      };
      if (spec.perm) check(spec.perm.path.replace(/\{(\w+)\}/g, (_, n: string) => raw.get(n)?.[0] ?? ""), spec.perm.privs, spec.perm.any);
      if (pathParams.node !== undefined) this.state.requireNode(pathParams.node);
      const params = validateParams(decl, raw);
      const result = await spec.handler({ state: this.state, auth: caller, params, isRoot, check, can });
      charge(c, { reads: result.reads ?? 0, writes: result.writes ?? 0 });
      return dataResponse(result.data, result.extra);
    } catch (err) {
      if (!(err instanceof PveError)) throw err;
      if (err.status === 401 && this.options.authFailureDelayMs > 0) await new Promise((r) => setTimeout(r, this.options.authFailureDelayMs));
      return errorResponse(err);
    }
  }

  private authenticate(req: Request, method: string, relPath: string): { auth?: AuthInfo; apiToken: boolean } {
    const authorization = req.headers.get("authorization") ?? "";
    const tokenMatch = /(?:^|\s)PVEAPIToken(?:=| )([^;]*)/.exec(authorization);
    const apiToken = tokenMatch ? safeDecode(tokenMatch[1]!.trim()) : undefined;
    const open = (relPath === "/access/ticket" && (method === "GET" || method === "POST")) || (relPath === "/access/domains" && method === "GET");
    if (open) return { apiToken: apiToken !== undefined };
    if (apiToken !== undefined) {
      const eq = apiToken.lastIndexOf("=");
      const auth = eq > 0 ? this.state.access.verifyToken(apiToken.slice(0, eq), apiToken.slice(eq + 1)) : undefined;
      if (!auth) throw authFailure("Authentication failed!");
      return { auth, apiToken: true };
    }
    const ticket = ticketFrom(req, authorization);
    if (!ticket) throw authFailure("No ticket");
    const userid = this.state.access.verifyTicket(ticket);
    if (!userid) throw authFailure("Authentication failed!");
    if (method !== "GET" && !this.state.access.verifyCsrf(userid, req.headers.get("CSRFPreventionToken"))) {
      throw authFailure("Permission denied - invalid csrf token");
    }
    return { auth: { authid: userid, userid: splitTokenId(userid).userid, viaTicket: true }, apiToken: false };
  }
}

function ticketFrom(req: Request, authorization: string): string | undefined {
  const cookie = req.headers.get("cookie") ?? "";
  const m = /(?:^|;\s*)PVEAuthCookie=([^;]*)/.exec(cookie) ?? /(?:^|\s)PVEAuthCookie=([^;\s]*)/.exec(authorization);
  return m && m[1] ? safeDecode(m[1]) : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query, body (form by default, or JSON) and path parameters, merged like `extract_params`. */
async function extractParams(req: Request, method: string, pathParams: Record<string, string>): Promise<Map<string, string[]>> {
  const params = new Map<string, string[]>();
  const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
  for (const [k, v] of new URL(req.url).searchParams) add(k, v);
  // Read as bytes: workerd warns when .text() is used on form bodies.
  const body = new TextDecoder().decode(await req.arrayBuffer());
  if (body.length > 0) {
    if (method === "GET" || method === "DELETE") throw new PveError(501, `Unexpected content for method '${method}'\n`);
    if (body.length > MAX_BODY) throw new PveError(501, "for data too large\n");
    if ((req.headers.get("content-type") ?? "").includes("application/json")) addJson(body, add);
    else for (const [k, v] of new URLSearchParams(body)) add(k, v);
  }
  for (const [k, v] of Object.entries(pathParams)) {
    const given = params.get(k);
    if (given && given.some((g) => g !== v)) throw paramError({ [k]: "duplicate parameter (already defined in URI) with conflicting values!" });
    params.set(k, [v]);
  }
  return params;
}

function addJson(body: string, add: (k: string, v: string) => void): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PveError(400, "unable to parse JSON body\n");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new PveError(400, "JSON body must be an object\n");
  const scalar = (v: unknown) => (typeof v === "boolean" ? (v ? "1" : "0") : typeof v === "string" ? v : JSON.stringify(v));
  for (const [k, v] of Object.entries(parsed)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) add(k, scalar(item));
    else add(k, scalar(v));
  }
}
