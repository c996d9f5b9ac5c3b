/**
 * The `/rest` front of a router: Basic auth, 415 for a body without JSON content type, RouterOS JSON parsing,
 * path resolution (`%2A` is not decoded, unknown segments are `no such command or directory (x)`), and the verb
 * mapping of spec §3.2: GET print, PUT add (201), PATCH set (200, not on singletons), DELETE remove (204),
 * POST `<menu>/<command>`.
 */
import type { Hono } from "hono";
import { SimulatedDrop } from "../common/faults";
import { charge, countAs, type SimContext, type SimEnv } from "../common/harness";
import {
  errorResponse,
  jsonResponse,
  missingArgument,
  missingId,
  noSuchCommand,
  noSuchCommandOrDirectory,
  noSuchCommandPrefix,
  noSuchItem,
  notEnoughPermissions,
  notFound,
  RosError,
  sessionClosed,
  unknownParameter,
  unsupportedMediaType,
} from "./errors";
import type { Command, CommandCall, ListMenu, Menu, MenuNode, RequestContext } from "./menu";
import { compileQuery, matchesFilters, project, type Row } from "./query";
import { type Args, parseRequestJson, requestArgs } from "./request-json";
import type { RouterState } from "./state";
import type { Policy } from "./users";

/** REST cuts every command at 60 s (spec §3.1). */
export const SESSION_LIMIT_MS = 60_000;

const PRINT_ARGS = new Set(["count-only", "detail", "without-paging", "as-value", "brief", "terse", "show-ids", "follow", "follow-only", "interval", "append"]);
/** Print arguments that keep the command running (it would stream) until the cap. */
const ENDLESS_PRINT_ARGS = ["follow", "follow-only", "interval"];

type Resolution =
  | { kind: "node"; node: MenuNode; template: string }
  | { kind: "command"; node: MenuNode; name: string; template: string }
  | { kind: "item"; node: MenuNode; menu: ListMenu; key: string; template: string }
  | { kind: "error"; error: RosError; template: string };

function genericCommandApplies(menu: Menu | undefined, name: string): boolean {
  if (!menu) return false;
  if (name === "print") return true;
  if (name === "set") return menu.set !== undefined;
  if (menu.kind !== "list") return false;
  if (name === "add") return menu.add !== undefined;
  if (name === "remove") return menu.remove !== undefined;
  return (name === "enable" || name === "disable") && menu.set !== undefined;
}

function resolve(root: MenuNode, rawPath: string): Resolution {
  const raw = rawPath.split("/").filter((s) => s !== "");
  if (raw.some((s) => /%2a/i.test(s))) return { kind: "error", error: noSuchCommandPrefix(), template: "/rest/{invalid}" };
  const segs: string[] = [];
  for (const s of raw) {
    try {
      segs.push(decodeURIComponent(s));
    } catch {
      return { kind: "error", error: noSuchCommandOrDirectory(s), template: "/rest/{invalid}" };
    }
  }
  let node = root;
  let i = 0;
  while (i < segs.length && node.children.has(segs[i]!)) node = node.children.get(segs[i++]!)!;
  const base = node.path === "" ? "/rest" : `/rest/${node.path}`;
  const rest = segs.slice(i);
  if (rest.length === 0) return { kind: "node", node, template: base };
  const name = rest[0]!;
  const isCommand = node.commands.has(name) || genericCommandApplies(node.menu, name);
  const menu = node.menu;
  const isItem = !isCommand && menu?.kind === "list" && (name.startsWith("*") || menu.nameKey !== undefined);
  if (rest.length === 1) {
    if (isCommand) return { kind: "command", node, name, template: `${base}/${name}` };
    if (isItem) return { kind: "item", node, menu: menu as ListMenu, key: name, template: `${base}/{id}` };
  }
  const unknown = rest.length > 1 && (isCommand || isItem) ? rest[1]! : name;
  return { kind: "error", error: noSuchCommandOrDirectory(unknown), template: `${base}/{unknown}` };
}

function requirePolicies(ctx: RequestContext, policies: readonly Policy[], error: () => RosError = notEnoughPermissions): void {
  for (const p of policies) if (!ctx.user.policies.has(p)) throw error();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function mountRest(app: Hono<SimEnv>, state: RouterState, root: MenuNode): void {
  const handler = async (c: SimContext) => {
    if (!state.reachable) throw new SimulatedDrop();
    try {
      return await serve(c, state, root);
    } catch (err) {
      if (!(err instanceof RosError)) throw err;
      return errorResponse(err, err.status === 401 ? { "WWW-Authenticate": 'Basic realm="RouterOS"' } : {});
    }
  };
  app.all("/rest", handler);
  app.all("/rest/*", handler);
}

async function serve(c: SimContext, state: RouterState, root: MenuNode): Promise<Response> {
  const url = new URL(c.req.url);
  const target = resolve(root, url.pathname.slice("/rest".length));
  countAs(c, target.template);
  // Browsers' CORS preflights are not served (spec §3.1).
  if (c.req.method === "OPTIONS") throw new RosError(503);
  const user = state.users.authenticate(c.req.header("authorization"));
  // Read as bytes: the content type is only trusted once checked.
  const text = new TextDecoder().decode(await c.req.arrayBuffer());
  let body: unknown;
  if (text !== "") {
    if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) throw unsupportedMediaType();
    body = parseRequestJson(text);
  }
  if (target.kind === "error") throw target.error;
  const ctx: RequestContext = {
    state,
    user,
    sensitive: user.policies.has("sensitive"),
    hold: async (ms) => {
      const wait = Math.min(ms, SESSION_LIMIT_MS);
      if (wait > 0) {
        if (state.clock.mode === "manual") state.clock.advance(wait);
        else await sleep(wait);
      }
      if (ms >= SESSION_LIMIT_MS) throw sessionClosed();
    },
  };
  const method = c.req.method;
  if (target.kind === "node") return onNode(c, ctx, target.node, method, url, body);
  if (target.kind === "item") return onItem(c, ctx, target.menu, target.key, method, url, body);
  if (method !== "POST") throw noSuchCommand();
  const call = requestArgs(body ?? {});
  return jsonResponse(await runCommand(c, ctx, target.node, target.name, call));
}

async function onNode(c: SimContext, ctx: RequestContext, node: MenuNode, method: string, url: URL, body: unknown): Promise<Response> {
  const menu = node.menu;
  if (!menu) throw noSuchCommand();
  if (method === "GET") {
    requirePolicies(ctx, ["read"]);
    const proplist = url.searchParams.get(".proplist")?.split(",").filter((s) => s !== "");
    if (menu.kind === "singleton") {
      charge(c, { reads: 1 });
      return jsonResponse(project(menu.record(ctx), proplist));
    }
    const filters = [...url.searchParams].filter(([key]) => key !== ".proplist");
    // A list GET always carries `.id`, even with a proplist.
    const shown = proplist && !proplist.includes(".id") ? [".id", ...proplist] : proplist;
    const rows = menu.records(ctx).filter((row) => matchesFilters(row, filters));
    charge(c, { reads: rows.length });
    return jsonResponse(rows.map((row) => project(row, shown)));
  }
  if (method === "PUT") {
    if (menu.kind !== "list" || !menu.add) throw noSuchCommand();
    requirePolicies(ctx, menu.writePolicies ?? ["write"]);
    const row = menu.add(ctx, requestArgs(body ?? {}).args);
    charge(c, { writes: 1 });
    return jsonResponse(row, 201, { Location: `/rest/${node.path}/${row[".id"]}` });
  }
  if (method === "PATCH" || method === "DELETE") throw missingId();
  throw noSuchCommand();
}

function findRecord(ctx: RequestContext, menu: ListMenu, key: string): Row {
  const row = menu.records(ctx).find((r) => r[".id"] === key || (menu.nameKey !== undefined && r[menu.nameKey] === key));
  if (row) return row;
  throw key.startsWith("*") ? notFound() : noSuchCommandOrDirectory(key);
}

async function onItem(c: SimContext, ctx: RequestContext, menu: ListMenu, key: string, method: string, url: URL, body: unknown): Promise<Response> {
  if (method === "GET") {
    requirePolicies(ctx, ["read"]);
    const row = findRecord(ctx, menu, key);
    charge(c, { reads: 1 });
    return jsonResponse(project(row, url.searchParams.get(".proplist")?.split(",").filter((s) => s !== "")));
  }
  if (method === "PATCH" || method === "DELETE") {
    // Without the write policy RouterOS cannot resolve the item for changing (spec §3.4).
    requirePolicies(ctx, ["read", "write"], missingId);
    if (method === "PATCH" ? !menu.set : !menu.remove) throw noSuchCommand();
    requirePolicies(ctx, menu.writePolicies ?? ["write"]);
    const id = findRecord(ctx, menu, key)[".id"]!;
    charge(c, { writes: 1 });
    if (method === "DELETE") {
      menu.remove!(ctx, id);
      return new Response(null, { status: 204, statusText: "No Content" });
    }
    return jsonResponse(menu.set!(ctx, id, requestArgs(body ?? {}).args));
  }
  // The path is resolved before the verb is: an unknown name is reported as such.
  findRecord(ctx, menu, key);
  throw noSuchCommand();
}

/** Turns `numbers`/`.id` into item ids (names allowed where the menu has them). */
function takeIds(ctx: RequestContext, menu: ListMenu, args: Args): string[] {
  const value = args.get(".id") ?? args.get("numbers");
  args.delete(".id");
  args.delete("numbers");
  if (value === undefined || value === "") throw missingArgument("numbers");
  const rows = menu.records(ctx);
  return value.split(",").map((key) => {
    const row = rows.find((r) => r[".id"] === key || (menu.nameKey !== undefined && r[menu.nameKey] === key));
    if (!row) throw noSuchItem();
    return row[".id"]!;
  });
}

async function runCommand(c: SimContext, ctx: RequestContext, node: MenuNode, name: string, call: CommandCall): Promise<unknown> {
  const custom = node.commands.get(name);
  if (custom) return runCustom(c, ctx, custom, call);
  const menu = node.menu!;
  if (call.query && name !== "print") throw unknownParameter(".query");
  if (name === "print") return print(c, ctx, menu, call);
  const writePolicies = menu.kind === "list" ? (menu.writePolicies ?? ["write"]) : ["write" as const];
  requirePolicies(ctx, writePolicies);
  charge(c, { writes: 1 });
  if (menu.kind === "singleton") {
    menu.set!(ctx, call.args);
    return [];
  }
  if (name === "add") return { ret: menu.add!(ctx, call.args)[".id"] };
  const ids = takeIds(ctx, menu, call.args);
  if (name === "remove") {
    if (call.args.size > 0) throw unknownParameter([...call.args.keys()][0]!);
    for (const id of ids) menu.remove!(ctx, id);
    return [];
  }
  if (name === "enable" || name === "disable") {
    if (call.args.size > 0) throw unknownParameter([...call.args.keys()][0]!);
    call.args.set("disabled", name === "disable" ? "yes" : "no");
  }
  for (const id of ids) menu.set!(ctx, id, call.args);
  return [];
}

async function print(c: SimContext, ctx: RequestContext, menu: Menu, call: CommandCall): Promise<unknown> {
  for (const key of call.args.keys()) if (!PRINT_ARGS.has(key)) throw unknownParameter(key);
  requirePolicies(ctx, ["read"]);
  const matches = call.query ? compileQuery(call.query) : () => true;
  if (ENDLESS_PRINT_ARGS.some((a) => call.args.has(a))) await ctx.hold(Number.POSITIVE_INFINITY);
  const rows = (menu.kind === "singleton" ? [menu.record(ctx)] : menu.records(ctx)).filter(matches);
  charge(c, { reads: rows.length });
  if (call.args.has("count-only")) return { ret: String(rows.length) };
  return rows.map((row) => project(row, call.proplist));
}

async function runCustom(c: SimContext, ctx: RequestContext, command: Command, call: CommandCall): Promise<unknown> {
  for (const key of call.args.keys()) if (!command.args.includes(key)) throw unknownParameter(key);
  if (call.query) throw unknownParameter(".query");
  requirePolicies(ctx, command.policies);
  const result = await command.run(ctx, call);
  charge(c, command.writes ? { writes: 1 } : { reads: Array.isArray(result) ? result.length : 1 });
  return result;
}
