/**
 * `/interface` and its typed menus (`ethernet`, `bridge`, `vlan`, `wireguard`): one table of interfaces that share
 * `*id`s across the menus, with byte/packet counters that follow the clock (see traffic.ts). An interface passes
 * traffic while it is enabled and linked; a VLAN also needs its parent to be running.
 */
import { formatDate } from "./formats";
import type { Row } from "./query";
import { type Fields, formatId, intIn, oneOf, renderFields } from "./tables";
import type { TrafficCounters } from "./traffic";

export type InterfaceType = "ether" | "bridge" | "vlan" | "wg" | "wifi";

export interface SimInterface {
  id: string;
  type: InterfaceType;
  /** Stored configuration as RouterOS strings: `name`, `comment`, `disabled`, `mtu` and the type's own fields. */
  config: Row;
  defaultName?: string;
  mac?: string;
  /** Cable plugged in / peer present. */
  linked: boolean;
  linkDowns: number;
  lastLinkUpMs?: number;
  counters: TrafficCounters;
}

/** What every interface menu lets `set` change. */
const COMMON_FIELDS: Fields = {
  name: { writable: true, required: true },
  comment: { writable: true },
  disabled: { writable: true, bool: true, default: "false" },
};

const ETHERNET_FIELDS: Fields = {
  ...COMMON_FIELDS,
  mtu: { writable: true, default: "1500", parse: intIn(68, 9000) },
  arp: { writable: true, default: "enabled", parse: oneOf("enabled", "disabled", "proxy-arp", "reply-only", "local-proxy-arp") },
  "auto-negotiation": { writable: true, bool: true, default: "true" },
};

const BRIDGE_FIELDS: Fields = {
  ...COMMON_FIELDS,
  mtu: { writable: true, default: "auto" },
  "admin-mac": { writable: true },
  "auto-mac": { writable: true, bool: true, default: "true" },
  "protocol-mode": { writable: true, default: "rstp", parse: oneOf("none", "rstp", "stp", "mstp") },
  "vlan-filtering": { writable: true, bool: true, default: "false" },
};

const VLAN_FIELDS: Fields = {
  ...COMMON_FIELDS,
  mtu: { writable: true, default: "1500", parse: intIn(68, 9000) },
  "vlan-id": { writable: true, required: true, parse: intIn(1, 4094) },
  interface: { writable: true, required: true, interfaceRef: true },
  arp: { writable: true, default: "enabled", parse: oneOf("enabled", "disabled", "proxy-arp", "reply-only", "local-proxy-arp") },
};

const WIREGUARD_FIELDS: Fields = {
  ...COMMON_FIELDS,
  mtu: { writable: true, default: "1420", parse: intIn(68, 65535), exportAlways: true },
  /** Chosen when the interface is added (13231 unless given). */
  "listen-port": { writable: true, parse: intIn(1, 65535) },
  "private-key": { writable: true, sensitive: true },
  "public-key": {},
};

const WIFI_FIELDS: Fields = {
  ...COMMON_FIELDS,
  mtu: { writable: true, default: "1500", parse: intIn(68, 2290) },
  "configuration.mode": { writable: true, default: "ap" },
  "configuration.ssid": { writable: true },
};

/** The typed menus: which interfaces they show and what they accept. */
export const INTERFACE_VIEWS = {
  "interface/ethernet": { type: "ether", fields: ETHERNET_FIELDS, canAdd: false },
  "interface/bridge": { type: "bridge", fields: BRIDGE_FIELDS, canAdd: true },
  "interface/vlan": { type: "vlan", fields: VLAN_FIELDS, canAdd: true },
  "interface/wireguard": { type: "wg", fields: WIREGUARD_FIELDS, canAdd: true },
} as const satisfies Record<string, { type: InterfaceType; fields: Fields; canAdd: boolean }>;

export type InterfaceViewPath = keyof typeof INTERFACE_VIEWS;

export function fieldsOf(type: InterfaceType): Fields {
  return type === "ether" ? ETHERNET_FIELDS : type === "bridge" ? BRIDGE_FIELDS : type === "vlan" ? VLAN_FIELDS : type === "wg" ? WIREGUARD_FIELDS : WIFI_FIELDS;
}

/** What `/interface set` may change on any interface. */
export const GENERIC_SET_FIELDS: Fields = {
  name: { writable: true },
  comment: { writable: true },
  disabled: { writable: true, bool: true },
  mtu: { writable: true, parse: intIn(68, 65535) },
};

export class InterfaceTable {
  private readonly byId = new Map<string, SimInterface>();
  private readonly idByName = new Map<string, string>();
  private seq = 0;

  add(iface: Omit<SimInterface, "id">): SimInterface {
    const stored = { ...iface, id: formatId(++this.seq) };
    this.byId.set(stored.id, stored);
    this.idByName.set(stored.config.name!, stored.id);
    return stored;
  }

  /** By `*id`, or by name. */
  find(key: string): SimInterface | undefined {
    const id = key.startsWith("*") ? key : this.idByName.get(key);
    return id === undefined ? undefined : this.byId.get(id);
  }

  byName(name: string): SimInterface | undefined {
    const id = this.idByName.get(name);
    return id === undefined ? undefined : this.byId.get(id);
  }

  rename(iface: SimInterface, to: string): void {
    this.idByName.delete(iface.config.name!);
    iface.config.name = to;
    this.idByName.set(to, iface.id);
  }

  remove(iface: SimInterface): void {
    this.byId.delete(iface.id);
    this.idByName.delete(iface.config.name!);
  }

  all(): IterableIterator<SimInterface> {
    return this.byId.values();
  }

  ofType(type: InterfaceType): SimInterface[] {
    return [...this.byId.values()].filter((i) => i.type === type);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Whether traffic flows now: enabled, linked, and (for a VLAN) its parent running. */
  running(iface: SimInterface, depth = 0): boolean {
    if (iface.config.disabled === "true" || !iface.linked) return false;
    if (iface.type !== "vlan" || depth > 4) return true;
    const parent = this.byName(iface.config.interface ?? "");
    return parent !== undefined && this.running(parent, depth + 1);
  }

  /** Brings every counter in line with the running state at `t` seconds (after a disable, enable or removal). */
  syncFlow(t: number): void {
    for (const iface of this.byId.values()) {
      if (this.running(iface)) iface.counters.resume(t);
      else iface.counters.pause(t);
    }
  }

  /** A `/interface` record at `t` seconds, as RouterOS prints it. */
  renderGeneric(iface: SimInterface, t: number, legacyDates: boolean): Row {
    const c = iface.counters.at(t);
    const mtu = iface.config.mtu ?? fieldsOf(iface.type).mtu?.default ?? "1500";
    const row: Row = { ".id": iface.id, name: iface.config.name! };
    if (iface.defaultName) row["default-name"] = iface.defaultName;
    row.type = iface.type;
    row.mtu = mtu;
    row["actual-mtu"] = mtu === "auto" ? "1500" : mtu;
    if (iface.type === "ether" || iface.type === "bridge" || iface.type === "vlan") row.l2mtu = "1592";
    if (iface.mac) row["mac-address"] = iface.mac;
    if (iface.lastLinkUpMs !== undefined) row["last-link-up-time"] = formatDate(iface.lastLinkUpMs, legacyDates);
    row["link-downs"] = String(iface.linkDowns);
    row["rx-byte"] = String(c.rxByte);
    row["tx-byte"] = String(c.txByte);
    row["rx-packet"] = String(c.rxPacket);
    row["tx-packet"] = String(c.txPacket);
    row["rx-drop"] = String(c.rxDrop);
    row["tx-drop"] = String(c.txDrop);
    row["tx-queue-drop"] = "0";
    row["rx-error"] = String(c.rxError);
    row["tx-error"] = String(c.txError);
    row["fp-rx-byte"] = "0";
    row["fp-tx-byte"] = "0";
    row["fp-rx-packet"] = "0";
    row["fp-tx-packet"] = "0";
    row.running = String(this.running(iface));
    row.disabled = iface.config.disabled ?? "false";
    if (iface.config.comment !== undefined) row.comment = iface.config.comment;
    return row;
  }

  /** A record of a typed menu (`/interface/vlan`, …). */
  renderView(iface: SimInterface, sensitive: boolean): Row {
    const row: Row = { ".id": iface.id, ...renderFields(fieldsOf(iface.type), iface.config, sensitive) };
    if (iface.mac) row["mac-address"] = iface.mac;
    if (iface.defaultName) row["default-name"] = iface.defaultName;
    row.running = String(this.running(iface));
    return row;
  }
}
