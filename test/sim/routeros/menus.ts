/**
 * The menus one router serves, bound to its state. CHR gets no `/system/routerboard` node at all, so asking for
 * it fails the way it does on a real CHR (`no such command or directory (routerboard)`).
 */
import { Rng } from "../common/rng";
import { commandMenus } from "./commands";
import { SETTINGS_SECTIONS, type SettingsPath, TABLE_SECTIONS, type TablePath } from "./config";
import { failure, missingArgument, noMatch } from "./errors";
import { GENERIC_SET_FIELDS, INTERFACE_VIEWS, type InterfaceViewPath, type SimInterface } from "./interfaces";
import { wireguardKeyPair } from "./keys";
import { type ListMenu, MenuNode, type SingletonMenu } from "./menu";
import type { Row } from "./query";
import type { Args } from "./request-json";
import type { RouterState } from "./state";
import { checkArgs, type Fields } from "./tables";
import { TrafficCounters } from "./traffic";

/** A freshly added interface carries a little traffic once it runs. */
const QUIET_TRAFFIC = {
  rx: { base: 2_000, swing: 0.3, periodS: 900, phase: 0 },
  tx: { base: 1_500, swing: 0.3, periodS: 900, phase: 1 },
  rxPacketSize: 400,
  txPacketSize: 400,
  errorRatio: 0,
  dropRatio: 0,
};

function checkInterfaceRefs(state: RouterState, fields: Fields, values: Row): void {
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.interfaceRef && values[name] !== undefined && !state.interfaces.byName(values[name]!)) throw noMatch("interface");
  }
}

function tableMenu(path: TablePath, state: RouterState): ListMenu {
  const table = state.tables[path];
  const nameKey = path === "interface/list" ? "name" : undefined;
  const check = (row: Row) => checkInterfaceRefs(state, table.fields, row);
  return {
    kind: "list",
    ...(nameKey ? { nameKey } : {}),
    records: (ctx) => table.list(ctx.sensitive),
    add: (ctx, args) => {
      const row = table.add(args, check);
      state.touchConfig();
      return table.render(row, ctx.sensitive);
    },
    set: (ctx, id, args) => {
      const row = table.set(id, args, check);
      if (!row) return undefined;
      state.touchConfig();
      return table.render(row, ctx.sensitive);
    },
    remove: (_ctx, id) => {
      const removed = table.remove(id);
      if (removed) state.touchConfig();
      return removed;
    },
  };
}

function settingsMenu(path: SettingsPath, state: RouterState): SingletonMenu {
  const settings = state.settings[path];
  return {
    kind: "singleton",
    record: (ctx) => settings.render(ctx.sensitive),
    set: (_ctx, args) => {
      settings.set(args);
      state.touchConfig();
    },
  };
}

/** Applies checked `set` values to an interface: renames follow into every table, enable/disable moves counters. */
function applyInterfaceSet(state: RouterState, iface: SimInterface, values: Row): void {
  const { name, ...rest } = values;
  if (name !== undefined && name !== iface.config.name) {
    if (state.interfaces.byName(name)) throw failure("already have interface with such name");
    const from = iface.config.name!;
    state.interfaces.rename(iface, name);
    for (const table of Object.values(state.tables)) table.renameInterface(from, name);
    for (const other of state.interfaces.all()) if (other.config.interface === from) other.config.interface = name;
  }
  Object.assign(iface.config, rest);
  state.interfaces.syncFlow(state.seconds());
  state.touchConfig();
}

function interfaceMenu(state: RouterState): ListMenu {
  return {
    kind: "list",
    nameKey: "name",
    records: () => {
      const t = state.seconds();
      return [...state.interfaces.all()].map((iface) => state.interfaces.renderGeneric(iface, t, state.legacyDates));
    },
    set: (_ctx, id, args) => {
      const iface = state.interfaces.find(id);
      if (!iface) return undefined;
      applyInterfaceSet(state, iface, checkArgs(GENERIC_SET_FIELDS, args, false));
      return state.interfaces.renderGeneric(iface, state.seconds(), state.legacyDates);
    },
  };
}

function newInterface(state: RouterState, path: InterfaceViewPath, values: Row): SimInterface {
  const { type } = INTERFACE_VIEWS[path];
  const parent = type === "vlan" ? state.interfaces.byName(values.interface!) : undefined;
  const config = { ...values };
  let mac: string | undefined;
  if (type === "vlan") mac = parent?.mac;
  if (type === "bridge") mac = values["admin-mac"] ?? new Rng(state.facts.seed + state.interfaces.size).mac([0x02]);
  if (type === "wg") {
    config["listen-port"] ??= "13231";
    const keys = wireguardKeyPair(new Rng(state.facts.seed * 31 + state.interfaces.size), values["private-key"]);
    config["private-key"] = keys.privateKey;
    config["public-key"] = keys.publicKey;
  }
  const now = state.nowMs();
  return state.interfaces.add({
    type,
    config,
    ...(mac ? { mac } : {}),
    linked: true,
    linkDowns: 0,
    lastLinkUpMs: now,
    counters: new TrafficCounters(QUIET_TRAFFIC, undefined),
  });
}

function interfaceViewMenu(path: InterfaceViewPath, state: RouterState): ListMenu {
  const view = INTERFACE_VIEWS[path];
  const members = () => state.interfaces.ofType(view.type);
  const find = (id: string) => {
    const iface = state.interfaces.find(id);
    return iface?.type === view.type ? iface : undefined;
  };
  const menu: ListMenu = {
    kind: "list",
    nameKey: "name",
    records: (ctx) => members().map((iface) => state.interfaces.renderView(iface, ctx.sensitive)),
    set: (ctx, id, args) => {
      const iface = find(id);
      if (!iface) return undefined;
      const values = checkArgs(view.fields, args, false);
      checkInterfaceRefs(state, view.fields, values);
      applyInterfaceSet(state, iface, values);
      return state.interfaces.renderView(iface, ctx.sensitive);
    },
  };
  if (!view.canAdd) return menu;
  menu.add = (ctx, args) => {
    const values = checkArgs(view.fields, args, true);
    checkInterfaceRefs(state, view.fields, values);
    if (state.interfaces.byName(values.name!)) throw failure("already have interface with such name");
    const iface = newInterface(state, path, values);
    state.interfaces.syncFlow(state.seconds());
    state.touchConfig();
    return state.interfaces.renderView(iface, ctx.sensitive);
  };
  menu.remove = (_ctx, id) => {
    const iface = find(id);
    if (!iface) return false;
    state.interfaces.remove(iface);
    state.interfaces.syncFlow(state.seconds());
    state.touchConfig();
    return true;
  };
  return menu;
}

function fileMenu(state: RouterState): ListMenu {
  const date = (ms: number) => state.date(ms);
  return {
    kind: "list",
    nameKey: "name",
    records: () => state.files.all().map((file) => state.files.render(file, date)),
    writePolicies: ["write", "ftp"],
    remove: (_ctx, id) => {
      const file = state.files.find(id);
      if (!file) return false;
      state.files.remove(file);
      return true;
    },
    commands: {
      read: {
        args: ["file", "chunk-size", "offset", "as-value"],
        policies: ["read", "ftp"],
        run: (_ctx, { args }) => readChunk(state, args),
      },
    },
  };
}

/** The documented ceiling of `chunk-size` in the manual's example; larger chunks are refused. */
export const MAX_CHUNK_SIZE = 32768;

function readChunk(state: RouterState, args: Args): Row[] {
  const name = args.get("file");
  if (name === undefined) throw missingArgument("file");
  const sizeText = args.get("chunk-size");
  if (sizeText === undefined) throw missingArgument("chunk-size");
  const chunkSize = Number(sizeText);
  if (!/^\d+$/.test(sizeText) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw failure("invalid chunk size");
  const offsetText = args.get("offset") ?? "0";
  if (!/^\d+$/.test(offsetText)) throw failure("invalid offset");
  const file = state.files.find(name);
  if (!file || file.type === "directory") throw failure("file not found");
  const bytes = new TextEncoder().encode(file.contents);
  const offset = Number(offsetText);
  if (offset > bytes.length) throw failure("chunk out of file bounds");
  return [{ data: new TextDecoder().decode(bytes.subarray(offset, offset + chunkSize)) }];
}

function packagesMenu(state: RouterState): ListMenu {
  const f = state.facts;
  const names = ["routeros", ...(f.model.wifi.length > 0 ? ["wifi-qcom"] : [])];
  return {
    kind: "list",
    nameKey: "name",
    records: () =>
      names.map((name, i) => ({ ".id": `*${i + 1}`, name, version: f.version, "build-time": state.date(f.buildTimeMs), scheduled: "", disabled: "false" })),
  };
}

export function buildMenuTree(state: RouterState): MenuNode {
  const root = new MenuNode("");
  for (const [name, command] of Object.entries(commandMenus.root(state))) root.commands.set(name, command);
  root.mount("interface", { ...interfaceMenu(state), commands: commandMenus.interface(state) });
  for (const path of Object.keys(INTERFACE_VIEWS) as InterfaceViewPath[]) root.mount(path, interfaceViewMenu(path, state));
  for (const path of Object.keys(TABLE_SECTIONS) as TablePath[]) root.mount(path, tableMenu(path, state));
  for (const path of Object.keys(SETTINGS_SECTIONS) as SettingsPath[]) root.mount(path, settingsMenu(path, state));
  root.mount("system/resource", { kind: "singleton", record: () => state.resource() });
  const routerboard = state.routerboard();
  if (routerboard) root.mount("system/routerboard", { kind: "singleton", record: () => state.routerboard()! });
  root.mount("system/health", { kind: "list", nameKey: "name", records: () => state.health() });
  root.mount("system/package", packagesMenu(state));
  root.mount("system/package/update", { kind: "singleton", record: () => state.packageUpdate(), commands: commandMenus.packageUpdate(state) });
  root.mount("file", fileMenu(state));
  return root;
}

