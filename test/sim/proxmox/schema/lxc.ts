/** LXC container parameters (pve-container 6.x). */
import { NODE, SNAPNAME, STORAGE_ID, VMID, allOptional, bool, defaultKey, fmt, int, num, oneOf, opt, pat, pstr, str } from "./builders";
import type { EndpointDecl, PropertyDecl, PropertyStringFormat } from "./types";

const MOUNT_OPTIONS = "(?:(?:(discard|lazytime|noatime|nodev|noexec|nosuid))(;(?:(discard|lazytime|noatime|nodev|noexec|nosuid)))*)";

export const LXC_ROOTFS_FORMAT: PropertyStringFormat = {
  volume: defaultKey(fmt("pve-lxc-mp-string")),
  acl: opt(bool()),
  mountoptions: opt(pat(MOUNT_OPTIONS)),
  quota: opt(bool()),
  replicate: opt(bool()),
  ro: opt(bool()),
  shared: opt(bool()),
  size: opt(fmt("disk-size")),
};

export const LXC_MP_FORMAT: PropertyStringFormat = {
  ...LXC_ROOTFS_FORMAT,
  mp: fmt("pve-lxc-mp-string"),
  backup: opt(bool()),
  keepattrs: opt(bool()),
};

export const LXC_NET_FORMAT: PropertyStringFormat = {
  name: pat("[-_.\\w\\d]+"),
  bridge: opt(pat("[-_.\\w\\d]+")),
  firewall: opt(bool()),
  gw: opt(fmt("ipv4")),
  gw6: opt(fmt("ipv6")),
  "host-managed": opt(bool()),
  hwaddr: opt(fmt("mac-addr")),
  ip: opt(fmt("pve-ipv4-config")),
  ip6: opt(fmt("pve-ipv6-config")),
  link_down: opt(bool()),
  mtu: opt(int(64, 65535)),
  rate: opt(num()),
  tag: opt(int(1, 4094)),
  trunks: opt(pat("(?:\\d+(?:;\\d+)*)")),
  type: opt(oneOf(["veth"])),
};

/** Every key an LXC config can hold (shared by create and `PUT …/config`). */
export const LXC_CONFIG_KEYS: Record<string, PropertyDecl> = allOptional({
  arch: oneOf(["amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"]),
  cmode: oneOf(["shell", "console", "tty"]),
  console: bool(),
  cores: int(1, 8192),
  cpulimit: num(0, 8192),
  cpuunits: int(0, 500000),
  debug: bool(),
  description: str({ maxLength: 8192 }),
  "dev[n]": pstr(
    {
      path: defaultKey(opt(fmt("pve-lxc-dev-string"))),
      "deny-write": opt(bool()),
      gid: opt(int(0)),
      mode: opt(pat("0[0-7]{3}")),
      uid: opt(int(0)),
    },
    { indexMax: 255 },
  ),
  entrypoint: pat("(?:[^\\x00-\\x08\\x10-\\x1F\\x7F]+)"),
  env: pat("(?:(?:\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)(?:\\0\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)*)"),
  features: pstr({
    force_rw_sys: opt(bool()),
    fuse: opt(bool()),
    keyctl: opt(bool()),
    mknod: opt(bool()),
    mount: opt(pat("(?:[a-zA-Z0-9_; ]+)")),
    nesting: opt(bool()),
  }),
  hookscript: fmt("pve-volume-id"),
  hostname: fmt("dns-name", { maxLength: 255 }),
  lock: oneOf(["backup", "create", "destroyed", "disk", "fstrim", "migrate", "mounted", "rollback", "snapshot", "snapshot-delete"]),
  memory: int(16),
  "mp[n]": pstr(LXC_MP_FORMAT, { indexMax: 255 }),
  nameserver: fmt("lxc-ip-with-ll-iface-list"),
  "net[n]": pstr(LXC_NET_FORMAT, { indexMax: 31 }),
  onboot: bool(),
  ostype: oneOf(["debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos", "unmanaged"]),
  protection: bool(),
  rootfs: pstr(LXC_ROOTFS_FORMAT),
  searchdomain: fmt("dns-name-list"),
  startup: fmt("pve-startup-order"),
  swap: int(0),
  tags: fmt("pve-tag-list"),
  template: bool(),
  timezone: fmt("pve-ct-timezone"),
  tty: int(0, 6),
  unprivileged: bool(),
  "unused[n]": pstr({ volume: defaultKey(fmt("pve-volume-id")) }, { indexMax: 255 }),
});

const GUEST = { node: NODE, vmid: VMID };

export const LXC_ENDPOINTS: EndpointDecl[] = [
  { method: "GET", path: "/nodes/{node}/lxc", params: { node: NODE } },
  {
    method: "POST",
    path: "/nodes/{node}/lxc",
    params: {
      ...GUEST,
      ...LXC_CONFIG_KEYS,
      ostemplate: str({ maxLength: 255 }),
      bwlimit: opt(num(0)),
      force: opt(bool()),
      "ha-managed": opt(bool()),
      "ignore-unpack-errors": opt(bool()),
      password: opt(str({ minLength: 5 })),
      pool: opt(fmt("pve-poolid")),
      restore: opt(bool()),
      "ssh-public-keys": opt(str()),
      start: opt(bool()),
      storage: opt(STORAGE_ID),
      unique: opt(bool({ requires: "restore" })),
    },
  },
  { method: "GET", path: "/nodes/{node}/lxc/{vmid}/config", params: { ...GUEST, current: opt(bool()), snapshot: opt(SNAPNAME) } },
  {
    method: "PUT",
    path: "/nodes/{node}/lxc/{vmid}/config",
    params: {
      ...GUEST,
      ...LXC_CONFIG_KEYS,
      delete: opt(fmt("pve-configid-list")),
      digest: opt(str({ maxLength: 40 })),
      revert: opt(fmt("pve-configid-list")),
    },
  },
  { method: "GET", path: "/nodes/{node}/lxc/{vmid}/status/current", params: GUEST },
  { method: "POST", path: "/nodes/{node}/lxc/{vmid}/status/start", params: { ...GUEST, debug: opt(bool()), skiplock: opt(bool()) } },
  {
    method: "POST",
    path: "/nodes/{node}/lxc/{vmid}/status/stop",
    params: { ...GUEST, "overrule-shutdown": opt(bool()), skiplock: opt(bool()) },
  },
  {
    method: "POST",
    path: "/nodes/{node}/lxc/{vmid}/status/shutdown",
    params: { ...GUEST, forceStop: opt(bool()), timeout: opt(int(0)) },
  },
  { method: "POST", path: "/nodes/{node}/lxc/{vmid}/status/reboot", params: { ...GUEST, timeout: opt(int(0)) } },
  {
    method: "DELETE",
    path: "/nodes/{node}/lxc/{vmid}",
    params: { ...GUEST, "destroy-unreferenced-disks": opt(bool()), force: opt(bool()), purge: opt(bool()) },
  },
  { method: "GET", path: "/nodes/{node}/lxc/{vmid}/snapshot", params: GUEST },
  { method: "POST", path: "/nodes/{node}/lxc/{vmid}/snapshot", params: { ...GUEST, snapname: SNAPNAME, description: opt(str()) } },
  {
    method: "DELETE",
    path: "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}",
    params: { ...GUEST, snapname: SNAPNAME, force: opt(bool()) },
  },
  {
    method: "POST",
    path: "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback",
    params: { ...GUEST, snapname: SNAPNAME, start: opt(bool()) },
  },
];
