/**
 * The named formats PVE registers (`pve-node`, `mac-addr`, `pve-qm-ipconfig`, …) with the messages their verifiers
 * die with. Formats the simulator does not model are accepted as plain strings, as the checklist allows.
 * `-list` formats split like `PVE::Tools::split_list`; named property-string formats reuse the declarations.
 */
import { ALL_PRIVILEGES } from "./roles";
import { bool, defaultKey, int, opt, pat, str } from "./schema/builders";
import { IDE_FORMAT, QEMU_IPCONFIG_FORMAT } from "./schema/qemu";
import type { PropertyStringFormat } from "./schema/types";

/** Thrown by a verifier; the validator reports it as `invalid format - <message>`. */
export class FormatError extends Error {}

const fail = (message: string): never => {
  throw new FormatError(message);
};

const IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4_RE = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);
const DNS_LABEL = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?)";
const DNS_NAME_RE = new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`);
const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const STORAGE_ID_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const VOLUME_ID_RE = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i;
const USERID_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const TOKENID_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;

export function isIpv4(v: string): boolean {
  return IPV4_RE.test(v);
}

export function isIpv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || v.length > 45) return false;
  let text = v;
  let groups = 8;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    if (!isIpv4(text.slice(lastColon + 1))) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const parts = (s: string) => (s === "" ? [] : s.split(":"));
  const head = parts(halves[0]!);
  const tail = halves.length === 2 ? parts(halves[1]!) : [];
  if (![...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (halves.length === 2) return head.length + tail.length < groups;
  return head.length === groups;
}

export function isCidr(v: string, family: 4 | 6 | "any"): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const len = Number(m[2]);
  if ((family === 4 || family === "any") && isIpv4(m[1]!) && len >= 1 && len <= 32) return true;
  return (family === 6 || family === "any") && isIpv6(m[1]!) && len >= 1 && len <= 128;
}

/** `PVE::Tools::split_list`: separators are `,`, `;` and whitespace (or NUL when present). */
export function splitList(text: string): string[] {
  if (text.includes("\0")) return text.split("\0");
  return text
    .replace(/[,;]/g, " ")
    .trim()
    .split(/\s+/)
    .filter((s) => s !== "");
}

export const STORAGE_CONTENT_TYPES = ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"] as const;

const BOOT_DEVICE_RE = /^(?:ide\d|sata\d|scsi\d{1,2}|virtio\d{1,2}|net\d{1,2}|efidisk0|tpmstate0|hostpci\d{1,2}|usb\d{1,2})$/;

const BOOT_FORMAT: PropertyStringFormat = {
  legacy: defaultKey(opt(pat("[acdn]{1,4}"))),
  order: opt(str({ format: "pve-qm-bootdev-list" })),
};

const STARTUP_FORMAT: PropertyStringFormat = {
  order: defaultKey(opt(int(0))),
  up: opt(int(0)),
  down: opt(int(0)),
};

/** Named formats that are themselves property strings. */
export const NAMED_PROPERTY_FORMATS: Record<string, PropertyStringFormat> = {
  "pve-qm-ipconfig": QEMU_IPCONFIG_FORMAT,
  "pve-qm-ide": IDE_FORMAT,
  "pve-qm-boot": BOOT_FORMAT,
  "pve-startup-order": STARTUP_FORMAT,
  "pve-qm-cicustom": {
    meta: opt(str({ format: "pve-volume-id" })),
    network: opt(str({ format: "pve-volume-id" })),
    user: opt(str({ format: "pve-volume-id" })),
    vendor: opt(str({ format: "pve-volume-id" })),
  },
  "pve-qm-rng": {
    source: defaultKey(str({ enum: ["/dev/urandom", "/dev/random", "/dev/hwrng"] })),
    max_bytes: opt(int()),
    period: opt(int()),
  },
  "pve-qm-watchdog": {
    model: defaultKey(opt(str({ enum: ["i6300esb", "ib700"] }))),
    action: opt(str({ enum: ["reset", "shutdown", "poweroff", "pause", "debug", "none"] })),
  },
  "pve-qm-smbios1": {
    uuid: opt(pat("[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}")),
    base64: opt(bool()),
    family: opt(str()),
    manufacturer: opt(str()),
    product: opt(str()),
    serial: opt(str()),
    sku: opt(str()),
    version: opt(str()),
  },
};

type Verifier = (value: string) => void;

function volumeId(v: string): void {
  if (!VOLUME_ID_RE.test(v)) fail(`unable to parse volume ID '${v}'`);
}

const VERIFIERS: Record<string, Verifier> = {
  "pve-node": (v) => void (/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v) || fail("value does not look like a valid node name")),
  "pve-vmid": (v) => void (/^[1-9][0-9]{2,8}$/.test(v) || fail("value does not look like a valid VM ID")),
  "pve-storage-id": (v) => void (STORAGE_ID_RE.test(v) || fail(`storage ID '${v}' contains illegal characters`)),
  "pve-configid": (v) => void (CONFIGID_RE.test(v) || fail(`invalid configuration ID '${v}'`)),
  "pve-poolid": (v) =>
    void (/^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_-]*){0,2}$/.test(v) || fail(`invalid pool ID '${v}'`)),
  "pve-bridge-id": (v) => void (/^[-_.\w\d]+$/.test(v) || fail(`invalid bridge ID '${v}'`)),
  "mac-addr": (v) =>
    void ((/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i.test(v) && (parseInt(v.slice(0, 2), 16) & 1) === 0) ||
      fail("value does not look like a valid unicast MAC address")),
  ipv4: (v) => void (isIpv4(v) || fail("value does not look like a valid IPv4 address")),
  ipv6: (v) => void (isIpv6(v) || fail("value does not look like a valid IPv6 address")),
  ip: (v) => void (isIpv4(v) || isIpv6(v) || fail("value does not look like a valid IP address")),
  CIDR: (v) => void (isCidr(v, "any") || fail("value does not look like a valid CIDR network")),
  "pve-ipv4-config": (v) =>
    void (/^(?:dhcp|manual)$/.test(v) || isCidr(v, 4) || fail("value does not look like a valid ipv4 network configuration")),
  "pve-ipv6-config": (v) =>
    void (/^(?:auto|dhcp|manual)$/.test(v) || isCidr(v, 6) || fail("value does not look like a valid ipv6 network configuration")),
  "dns-name": (v) => void (DNS_NAME_RE.test(v) || fail("value does not look like a valid DNS name")),
  "address": (v) => void (isIpv4(v) || isIpv6(v) || fail("value does not look like a valid address")),
  "lxc-ip-with-ll-iface": (v) =>
    void (isIpv4(v) || isIpv6(v) || /^fe80:[0-9a-f:]*%[\w.-]+$/i.test(v) || fail("value does not look like a valid IP address")),
  "pve-tag": (v) => void (/^[a-z0-9_][a-z0-9_\-+.]*$/i.test(v) || fail("invalid characters in tag")),
  "pve-volume-id": volumeId,
  "pve-volume-id-or-qm-path": (v) => {
    if (v === "none" || v === "cdrom" || v.startsWith("/")) return;
    volumeId(v);
  },
  "pve-volume-id-or-absolute-path": (v) => {
    if (!v.startsWith("/")) volumeId(v);
  },
  "disk-size": (v) => void (/^\d+(\.\d+)?[KMGT]?$/.test(v) || fail(`unable to parse size '${v}'`)),
  "pve-userid": (v) => void ((USERID_RE.test(v) && v.length <= 64) || fail(`value '${v}' does not look like a valid user name`)),
  "pve-tokenid": (v) => void (TOKENID_RE.test(v) || fail(`value '${v}' does not look like a valid token ID`)),
  "pve-groupid": (v) => void (/^[A-Za-z0-9.\-_]+$/.test(v) || fail(`invalid group name '${v}'`)),
  "pve-roleid": (v) => void (/^[A-Za-z0-9.\-_]+$/.test(v) || fail(`invalid role ID '${v}'`)),
  "pve-priv": (v) => void (ALL_PRIVILEGES.has(v) || fail(`invalid privilege '${v}'`)),
  "pve-realm": (v) => void (/^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v) || fail(`value '${v}' does not look like a valid realm`)),
  "pve-storage-content": (v) =>
    void ((STORAGE_CONTENT_TYPES as readonly string[]).includes(v) || fail(`invalid content type '${v}'`)),
  "pve-replication-job-id": (v) => void (/^[1-9][0-9]{2,8}-\d{1,9}$/.test(v) || fail(`invalid replication job ID '${v}'`)),
  "pve-calendar-event": (v) => void (/^[\w\s:*/,.~-]+$/.test(v) || fail(`unable to parse calendar event '${v}'`)),
  urlencoded: (v) => void (/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v) || fail(`invalid urlencoded string: ${v}`)),
  "pve-task-status-type": (v) => void (/^(?:ok|error|warning|unknown)$/i.test(v) || fail(`invalid task status type '${v}'`)),
  "pve-day-of-week": (v) => void (/^(?:mon|tue|wed|thu|fri|sat|sun)$/.test(v) || fail(`invalid day of week '${v}'`)),
  "email-opt": (v) => void (v === "" || /^[^\s@]+@[^\s@]+$/.test(v) || fail("value does not look like a valid email address")),
  "pve-qm-bootdev": (v) => void (BOOT_DEVICE_RE.test(v) || fail(`invalid boot device '${v}'`)),
};

/** Formats whose list form PVE registers under its own name. */
const LIST_ALIASES: Record<string, string> = {
  "pve-vmid-list": "pve-vmid",
  "address-list": "address",
  "pve-qm-bootdev-list": "pve-qm-bootdev",
};

/** Resolves `name` to a verifier or a property-string format; undefined for formats accepted as plain strings. */
export function namedFormat(name: string): { list: boolean; verify?: Verifier; property?: PropertyStringFormat } | undefined {
  const property = NAMED_PROPERTY_FORMATS[name];
  if (property) return { list: false, property };
  const aliased = LIST_ALIASES[name];
  if (aliased) return { list: true, verify: VERIFIERS[aliased]! };
  if (VERIFIERS[name]) return { list: false, verify: VERIFIERS[name] };
  if (name.endsWith("-list") && VERIFIERS[name.slice(0, -5)]) return { list: true, verify: VERIFIERS[name.slice(0, -5)] };
  return undefined;
}
