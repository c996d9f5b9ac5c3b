/**
 * The configuration tables and settings menus of a router, declared once: their REST path, their export section,
 * and the fields `add`/`set` accept. Printing, validation and the export all read these declarations.
 */
import { invalidValue } from "./errors";
import { networkOf, parseIpPrefix } from "./formats";
import type { Row } from "./query";
import { type Fields, intIn, oneOf, RecordTable, Settings } from "./tables";

const disabled = { writable: true, bool: true, default: "false" } as const;
const comment = { writable: true } as const;
const text = { writable: true } as const;

function prefix(value: string, name: string): string {
  const { address, prefix } = parseIpPrefix(name, value);
  return `${address}/${prefix}`;
}

function addressOrPrefix(value: string, name: string): string {
  const { address, prefix } = parseIpPrefix(name, value);
  return value.includes("/") ? `${address}/${prefix}` : address;
}

function dstAddress(value: string, name: string): string {
  const { address, prefix } = parseIpPrefix(name, value);
  if (networkOf(address, prefix) !== address) throw invalidValue(name);
  return `${address}/${prefix}`;
}

const FILTER_ACTIONS = ["accept", "drop", "reject", "fasttrack-connection", "jump", "return", "passthrough", "log", "add-src-to-address-list", "add-dst-to-address-list", "tarpit"];
const NAT_ACTIONS = ["accept", "masquerade", "dst-nat", "src-nat", "netmap", "redirect", "same", "return", "passthrough", "log"];

const FIREWALL_MATCHERS: Fields = {
  comment,
  disabled,
  "connection-state": text,
  "connection-nat-state": text,
  protocol: text,
  "src-address": { writable: true, parse: addressOrPrefix },
  "dst-address": { writable: true, parse: addressOrPrefix },
  "dst-port": text,
  "in-interface": { writable: true, interfaceRef: true },
  "out-interface": { writable: true, interfaceRef: true },
  "in-interface-list": text,
  "out-interface-list": text,
  "ipsec-policy": text,
  "src-address-list": text,
  "dst-address-list": text,
  log: { writable: true, bool: true, default: "false" },
};

export interface ConfigHooks {
  interfaceExists(name: string): boolean;
  nowText(): string;
}

/** Every configuration table, with the REST menu it is served under and its export section. */
export function createTables(hooks: ConfigHooks) {
  const invalidIfDangling = (row: Row, field: string) => ({ ...row, invalid: String(row[field] !== undefined && !hooks.interfaceExists(row[field]!)) });
  return {
    "interface/list": new RecordTable({ name: { writable: true, required: true }, comment }, (row) => ({ ...row, builtin: "false", dynamic: "false" })),
    "interface/bridge/port": new RecordTable(
      { bridge: { writable: true, required: true, interfaceRef: true }, interface: { writable: true, required: true, interfaceRef: true }, pvid: { writable: true, default: "1", parse: intIn(1, 4094) }, comment, disabled },
      (row) => ({ ...invalidIfDangling(row, "interface"), dynamic: "false", inactive: "false" }),
    ),
    "interface/list/member": new RecordTable(
      { interface: { writable: true, required: true, interfaceRef: true }, list: { writable: true, required: true }, comment, disabled },
      (row) => ({ ...row, dynamic: "false" }),
    ),
    "interface/wireguard/peers": new RecordTable(
      {
        interface: { writable: true, required: true, interfaceRef: true },
        "public-key": { writable: true, required: true },
        "allowed-address": text,
        "endpoint-address": text,
        "endpoint-port": { writable: true, parse: intIn(1, 65535) },
        "persistent-keepalive": text,
        "preshared-key": { writable: true, sensitive: true },
        comment,
        disabled,
      },
      (row) => ({ ...row, "current-endpoint-address": row["endpoint-address"] ?? "", rx: "0", tx: "0" }),
    ),
    "ip/address": new RecordTable(
      { address: { writable: true, required: true, parse: prefix }, network: text, interface: { writable: true, required: true, interfaceRef: true }, comment, disabled },
      (row) => ({ ...invalidIfDangling(row, "interface"), "actual-interface": row.interface!, dynamic: "false" }),
      (row, changed) => {
        if (changed.address === undefined || changed.network !== undefined) return;
        const { address, prefix: len } = parseIpPrefix("address", row.address!);
        row.network = networkOf(address, len);
      },
    ),
    "ip/firewall/address-list": new RecordTable(
      { list: { writable: true, required: true }, address: { writable: true, required: true, parse: addressOrPrefix }, comment, disabled, timeout: text, "creation-time": {} },
      (row) => ({ ...row, dynamic: "false" }),
      (row, _changed, created) => {
        if (created) row["creation-time"] = hooks.nowText();
      },
    ),
    "ip/firewall/filter": new RecordTable(
      { chain: { writable: true, required: true }, action: { writable: true, default: "accept", parse: oneOf(...FILTER_ACTIONS) }, "hw-offload": { writable: true, bool: true }, ...FIREWALL_MATCHERS },
      (row) => ({ ...row, bytes: "0", packets: "0", dynamic: "false", invalid: "false" }),
    ),
    "ip/firewall/nat": new RecordTable(
      { chain: { writable: true, required: true }, action: { writable: true, default: "accept", parse: oneOf(...NAT_ACTIONS) }, "to-addresses": text, "to-ports": text, ...FIREWALL_MATCHERS },
      (row) => ({ ...row, bytes: "0", packets: "0", dynamic: "false", invalid: "false" }),
    ),
    "ip/route": new RecordTable(
      {
        "dst-address": { writable: true, default: "0.0.0.0/0", parse: dstAddress },
        gateway: { writable: true, required: true },
        distance: { writable: true, default: "1", parse: intIn(1, 255) },
        "routing-table": { writable: true, default: "main" },
        comment,
        disabled,
      },
      (row) => ({ ...row, active: String(row.disabled !== "true"), static: "true", dynamic: "false", inactive: String(row.disabled === "true") }),
    ),
  };
}

export type ConfigTables = ReturnType<typeof createTables>;
export type TablePath = keyof ConfigTables;

/** Export sections of the tables, in the order RouterOS writes them (interfaces come in between, see export.ts). */
export const TABLE_SECTIONS: Record<TablePath, string> = {
  "interface/list": "/interface list",
  "interface/bridge/port": "/interface bridge port",
  "interface/list/member": "/interface list member",
  "interface/wireguard/peers": "/interface wireguard peers",
  "ip/address": "/ip address",
  "ip/firewall/address-list": "/ip firewall address-list",
  "ip/firewall/filter": "/ip firewall filter",
  "ip/firewall/nat": "/ip firewall nat",
  "ip/route": "/ip route",
};

export function createSettings(identity: string) {
  return {
    "ip/dns": new Settings(
      { servers: { writable: true, default: "" }, "allow-remote-requests": { writable: true, bool: true, default: "false" }, "cache-size": { writable: true, default: "2048", parse: intIn(64, 4194304) } },
      {},
    ),
    "system/clock": new Settings({ "time-zone-name": { writable: true, default: "manual" }, "time-zone-autodetect": { writable: true, bool: true, default: "true" } }, {}),
    "system/identity": new Settings({ name: { writable: true, default: "MikroTik" } }, { name: identity }),
    "system/note": new Settings({ note: { writable: true, default: "" }, "show-at-login": { writable: true, bool: true, default: "true" } }, {}),
    "system/ntp/client": new Settings({ enabled: { writable: true, bool: true, default: "false" }, servers: { writable: true, default: "" } }, {}),
  };
}

export type ConfigSettings = ReturnType<typeof createSettings>;
export type SettingsPath = keyof ConfigSettings;

export const SETTINGS_SECTIONS: Record<SettingsPath, string> = {
  "ip/dns": "/ip dns",
  "system/clock": "/system clock",
  "system/identity": "/system identity",
  "system/note": "/system note",
  "system/ntp/client": "/system ntp client",
};
