/**
 * Builds one lab router from the fleet seed and its index: model, RouterOS version, users, ports with traffic,
 * a default-configuration-like setup (bridge, VLANs, WireGuard, addresses, firewall, NAT, route) and the clock
 * history (boot time, last configuration change). Deterministic: the same seed and index give the same router.
 */
import type { SimClock } from "../common/clock";
import { Rng } from "../common/rng";
import { type HardwareModel, MODELS, VERSIONS } from "./catalog";
import { wireguardKeyPair } from "./keys";
import type { SimInterface } from "./interfaces";
import { RouterState } from "./state";
import { ALL_POLICIES } from "./users";
import { TrafficCounters, type TrafficProfile } from "./traffic";

export interface RouterUsers {
  admin: { username: string; password: string };
  poll: { username: string; password: string };
}

/** Relative frequency of each model in a lab (index into MODELS). */
const MODEL_WEIGHTS = [20, 25, 20, 10, 5, 20];
const MIKROTIK_OUIS = [
  [0x48, 0xa9, 0x8a],
  [0xdc, 0x2c, 0x6e],
  [0x74, 0x4d, 0x28],
  [0x18, 0xfd, 0x74],
  [0x2c, 0xc8, 0x1b],
  [0x64, 0xd1, 0x54],
];
const TIME_ZONES = ["Europe/Berlin", "Europe/Riga", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"];
const DAY_MS = 86_400_000;

function pickModel(rng: Rng): HardwareModel {
  const total = MODEL_WEIGHTS.reduce((a, b) => a + b, 0);
  let roll = rng.int(0, total - 1);
  for (const [i, weight] of MODEL_WEIGHTS.entries()) {
    if (roll < weight) return MODELS[i]!;
    roll -= weight;
  }
  return MODELS[0]!;
}

function macAt(base: number[], offset: number): string {
  const n = ((base[3]! << 16) | (base[4]! << 8) | base[5]!) + offset;
  return [...base.slice(0, 3), (n >> 16) & 255, (n >> 8) & 255, n & 255].map((o) => o.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

function trafficProfile(rng: Rng, rxBase: number): TrafficProfile {
  return {
    rx: { base: rxBase, swing: rng.int(5, 45) / 100, periodS: rng.int(600, 86_400), phase: rng.next() * 2 * Math.PI },
    tx: { base: Math.max(1, Math.round(rxBase * rng.int(10, 70) / 100)), swing: rng.int(5, 45) / 100, periodS: rng.int(600, 86_400), phase: rng.next() * 2 * Math.PI },
    rxPacketSize: rng.int(400, 1200),
    txPacketSize: rng.int(200, 900),
    errorRatio: rng.chance(0.05) ? 1e-5 : 0,
    dropRatio: rng.chance(0.2) ? 1e-4 : 0,
  };
}

function softwareId(rng: Rng): string {
  const chars = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789";
  const part = () => Array.from({ length: 4 }, () => rng.pick([...chars])).join("");
  return `${part()}-${part()}`;
}

export function routerName(index: number, total: number): string {
  return `rtr-${String(index + 1).padStart(Math.max(3, String(total).length), "0")}`;
}

/** Mixes the fleet seed and a router's index into that router's own seed. */
export function routerSeed(seed: number, index: number): number {
  // murmur3's finaliser, so that neighbouring indices give unrelated streams.
  let h = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function buildRouter(name: string, index: number, seed: number, clock: SimClock): { state: RouterState; users: RouterUsers } {
  const rng = new Rng(seed);
  const model = pickModel(rng);
  const eligible = model.wifi.length > 0 ? VERSIONS.filter((v) => !/^7\.(8|9|11)/.test(v.version)) : VERSIONS;
  const release = rng.pick(eligible);
  const older = VERSIONS.filter((v) => v.buildTime <= release.buildTime);
  const factory = rng.pick(older);
  const now = clock.now();
  const bootMs = now - rng.int(3600, 180 * 86_400) * 1000;
  const state = new RouterState(
    {
      name,
      model,
      version: release.version,
      buildTimeMs: release.buildTime,
      factorySoftware: factory.version,
      ...(model.chr
        ? {}
        : {
            serial: `${model.serialPrefix}${rng.hex(4).toUpperCase()}`,
            softwareId: softwareId(rng),
            factoryFirmware: factory.version,
            currentFirmware: rng.chance(0.7) ? release.version : factory.version,
          }),
      cpu: { base: rng.int(2, 35), swing: rng.int(1, 10), periodS: rng.int(600, 7200), phase: rng.next() * 2 * Math.PI, noise: rng.int(1, 4) },
      memoryUsed: { base: rng.int(20, 60) / 100, swing: 0.02, periodS: rng.int(3600, 86_400), phase: rng.next() * 2 * Math.PI, noise: 0.01 },
      systemHddBytes: Math.round(model.totalHdd * rng.int(25, 60) / 100),
      updateServerReachable: rng.chance(0.92),
      seed,
    },
    clock,
    bootMs,
    now - rng.int(3600, 400 * 86_400) * 1000,
  );
  const users = {
    admin: { username: "admin", password: `adm-${rng.hex(6)}` },
    poll: { username: "outpost-poll", password: `poll-${rng.hex(6)}` },
  };
  state.users.add(users.admin.username, users.admin.password, "full", ALL_POLICIES);
  state.users.add(users.poll.username, users.poll.password, "outpost-read", ["read", "api", "rest-api"]);
  configure(state, rng, index);
  return { state, users };
}

/** Ports, logical interfaces and the configuration tables. */
function configure(state: RouterState, rng: Rng, index: number): void {
  const { model } = state.facts;
  const bootS = state.seconds(state.bootMs);
  const base = model.chr ? [0x52, 0x54, 0x00, rng.int(0, 255), rng.int(0, 255), rng.int(0, 200)] : [...rng.pick(MIKROTIK_OUIS), rng.int(0, 255), rng.int(0, 255), rng.int(0, 200)];
  const add = (iface: Omit<SimInterface, "id" | "counters" | "linkDowns" | "lastLinkUpMs">, rxBase: number): SimInterface => {
    const flaps = iface.linked && iface.type === "ether" && rng.chance(0.3) ? rng.int(1, 6) : 0;
    const running = iface.linked && iface.config.disabled !== "true";
    return state.interfaces.add({
      ...iface,
      linkDowns: flaps,
      ...(iface.linked ? { lastLinkUpMs: Math.min(state.nowMs(), state.bootMs + rng.int(4, 40) * 1000 + flaps * rng.int(0, 5) * DAY_MS) } : {}),
      counters: new TrafficCounters(trafficProfile(rng, rxBase), running ? bootS : undefined),
    });
  };

  const lanId = (index >> 8) & 63;
  const host = index & 255;
  const wanAddress = `100.${64 + ((index >> 8) & 63)}.${host}.2/30`;
  const wanGateway = `100.${64 + ((index >> 8) & 63)}.${host}.1`;

  // Physical ports: the first is the uplink, the rest are plugged in now and then.
  const ports = model.ethernet.map((port, i) =>
    add(
      {
        type: "ether",
        config: { name: port, ...(i === 0 && rng.chance(0.5) ? { comment: "WAN" } : {}) },
        defaultName: port,
        mac: macAt(base, i),
        linked: i === 0 || (i <= 3 && rng.chance(0.8)) || rng.chance(0.35),
      },
      i === 0 ? rng.int(200_000, 20_000_000) : rng.int(5_000, 5_000_000),
    ),
  );
  const wan = ports[0]!;
  const lanPorts = ports.slice(1);
  for (const [i, radio] of model.wifi.entries()) {
    add(
      { type: "wifi", config: { name: radio, "configuration.ssid": `${state.facts.name}-${i === 0 ? "5g" : "2g"}`, "configuration.mode": "ap" }, defaultName: radio, mac: macAt(base, model.ethernet.length + i), linked: true },
      rng.int(10_000, 3_000_000),
    );
  }

  let lan: SimInterface;
  if (model.chr) lan = lanPorts[0] ?? wan;
  else {
    lan = add(
      { type: "bridge", config: { name: "bridge", comment: "defconf", "admin-mac": lanPorts[0]?.mac ?? wan.mac!, "auto-mac": "false" }, mac: lanPorts[0]?.mac ?? wan.mac!, linked: true },
      rng.int(50_000, 8_000_000),
    );
    for (const port of lanPorts) state.tables["interface/bridge/port"].insert({ bridge: "bridge", comment: "defconf", interface: port.config.name! });
    for (const radio of model.wifi) state.tables["interface/bridge/port"].insert({ bridge: "bridge", comment: "defconf", interface: radio });
  }
  const lanName = lan.config.name!;

  const vlanCount = rng.int(0, 3);
  const vlans: string[] = [];
  for (let k = 1; k <= vlanCount; k++) {
    const vlanId = k * 10 + rng.int(0, 9);
    const name = `vlan${vlanId}`;
    add({ type: "vlan", config: { name, "vlan-id": String(vlanId), interface: lanName }, mac: lan.mac!, linked: true }, rng.int(1_000, 1_000_000));
    vlans.push(name);
    state.tables["ip/address"].insert({ address: `10.${64 * k + lanId}.${host}.1/24`, interface: name });
  }

  const hasWireguard = rng.chance(0.5);
  if (hasWireguard) {
    const keys = wireguardKeyPair(rng);
    add({ type: "wg", config: { name: "wg0", "listen-port": "13231", mtu: "1420", "private-key": keys.privateKey, "public-key": keys.publicKey }, linked: true }, rng.int(1_000, 500_000));
    const peers = rng.int(1, 3);
    for (let p = 0; p < peers; p++) {
      const peer = wireguardKeyPair(rng);
      state.tables["interface/wireguard/peers"].insert({
        interface: "wg0",
        "public-key": peer.publicKey,
        "allowed-address": `172.${16 + ((index >> 8) & 15)}.${host}.${p + 2}/32`,
        comment: `peer-${p + 1}`,
        ...(p === 0 ? { "endpoint-address": `vpn${p + 1}.example.net`, "endpoint-port": "13231", "persistent-keepalive": "25s" } : {}),
      });
    }
    state.tables["ip/address"].insert({ address: `172.${16 + ((index >> 8) & 15)}.${host}.1/24`, interface: "wg0" });
  }

  state.tables["ip/address"].insert({ address: wanAddress, interface: wan.config.name! });
  state.tables["ip/address"].insert({ address: `10.${lanId}.${host}.1/24`, ...(model.chr ? {} : { comment: "defconf" }), interface: lanName });

  if (!model.chr) {
    state.tables["interface/list"].insert({ comment: "defconf", name: "WAN" });
    state.tables["interface/list"].insert({ comment: "defconf", name: "LAN" });
    state.tables["interface/list/member"].insert({ comment: "defconf", interface: lanName, list: "LAN" });
    state.tables["interface/list/member"].insert({ comment: "defconf", interface: wan.config.name!, list: "WAN" });
    for (const name of vlans) state.tables["interface/list/member"].insert({ interface: name, list: "LAN" });
  }

  const dns = state.settings["ip/dns"].values;
  dns.servers = rng.pick(["1.1.1.1,9.9.9.9", "8.8.8.8,1.1.1.1", "9.9.9.9"]);
  if (!model.chr) dns["allow-remote-requests"] = "true";

  const mgmt = rng.int(1, 3);
  for (let m = 0; m < mgmt; m++) state.tables["ip/firewall/address-list"].insert({ address: `192.0.2.${10 + m}`, list: "mgmt" });
  firewall(state, model.chr, hasWireguard);
  state.tables["ip/firewall/nat"].insert({
    action: "masquerade",
    chain: "srcnat",
    ...(model.chr ? { "out-interface": wan.config.name! } : { comment: "defconf: masquerade", "ipsec-policy": "out,none", "out-interface-list": "WAN" }),
  });
  state.tables["ip/route"].insert({ "dst-address": "0.0.0.0/0", gateway: wanGateway, ...(rng.chance(0.3) ? { comment: "uplink" } : {}) });

  state.settings["system/clock"].values["time-zone-name"] = rng.pick(TIME_ZONES);
  state.settings["system/clock"].values["time-zone-autodetect"] = "false";
  state.settings["system/note"].values["show-at-login"] = "false";
  if (rng.chance(0.7)) Object.assign(state.settings["system/ntp/client"].values, { enabled: "true", servers: "pool.ntp.org" });
  if (rng.chance(0.3)) state.files.write("pub", "directory", "", state.bootMs);
}

function firewall(state: RouterState, chr: boolean, wireguard: boolean): void {
  const filter = state.tables["ip/firewall/filter"];
  const rule = (values: Record<string, string>) => filter.insert(values);
  if (chr) {
    rule({ action: "accept", chain: "input", "connection-state": "established,related,untracked" });
    rule({ action: "drop", chain: "input", "connection-state": "invalid" });
    rule({ action: "accept", chain: "input", protocol: "icmp" });
    if (wireguard) rule({ action: "accept", chain: "input", comment: "allow WireGuard", "dst-port": "13231", protocol: "udp" });
    rule({ action: "accept", chain: "input", comment: "management", "src-address-list": "mgmt" });
    rule({ action: "drop", chain: "input", comment: "drop everything else" });
    return;
  }
  rule({ action: "accept", chain: "input", comment: "defconf: accept established,related,untracked", "connection-state": "established,related,untracked" });
  rule({ action: "drop", chain: "input", comment: "defconf: drop invalid", "connection-state": "invalid" });
  rule({ action: "accept", chain: "input", comment: "defconf: accept ICMP", protocol: "icmp" });
  rule({ action: "accept", chain: "input", comment: "defconf: accept to local loopback (for CAPsMAN)", "dst-address": "127.0.0.1" });
  if (wireguard) rule({ action: "accept", chain: "input", comment: "allow WireGuard", "dst-port": "13231", protocol: "udp" });
  rule({ action: "accept", chain: "input", comment: "management", "src-address-list": "mgmt" });
  rule({ action: "drop", chain: "input", comment: "defconf: drop all not coming from LAN", "in-interface-list": "!LAN" });
  rule({ action: "accept", chain: "forward", comment: "defconf: accept in ipsec policy", "ipsec-policy": "in,ipsec" });
  rule({ action: "accept", chain: "forward", comment: "defconf: accept out ipsec policy", "ipsec-policy": "out,ipsec" });
  rule({ action: "fasttrack-connection", chain: "forward", comment: "defconf: fasttrack", "connection-state": "established,related", "hw-offload": "true" });
  rule({ action: "accept", chain: "forward", comment: "defconf: accept established,related, untracked", "connection-state": "established,related,untracked" });
  rule({ action: "drop", chain: "forward", comment: "defconf: drop invalid", "connection-state": "invalid" });
  rule({ action: "drop", chain: "forward", comment: "defconf: drop all from WAN not DSTNATed", "connection-nat-state": "!dstnat", "connection-state": "new", "in-interface-list": "WAN" });
}
