/** Metrics that move with the simulated clock (computed lazily, no timers): CPU, memory, uptime, traffic. */
import type { Guest, SimNode } from "./model";
import { lxcMaxDisk } from "./lxc-config";
import { memoryMiB, qemuMaxDisk } from "./qemu-config";
import { GiB, MiB, type SimState } from "./state";

/** A smooth value in [0, 1] with the given period, offset per object by `phase`. */
function wave(nowMs: number, periodS: number, phase: number): number {
  return 0.5 + 0.5 * Math.sin((2 * Math.PI * nowMs) / 1000 / periodS + phase);
}

export interface GuestStats {
  cpus: number;
  cpu: number;
  maxmem: number;
  mem: number;
  maxdisk: number;
  disk: number;
  uptime: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

function maxMem(guest: Guest): number {
  return (guest.type === "qemu" ? memoryMiB(guest.config) : Number(guest.config.memory ?? 512)) * MiB;
}

function memUsed(guest: Guest, maxmem: number, now: number): number {
  return guest.status === "running" ? Math.floor(maxmem * (0.3 + 0.4 * wave(now, 900, guest.phase * 2))) : 0;
}

export function guestStats(guest: Guest, now: number): GuestStats {
  const c = guest.config;
  const cpus = guest.type === "qemu" ? Number(c.cores ?? 1) * Number(c.sockets ?? 1) : Number(c.cores ?? 1);
  const maxmem = maxMem(guest);
  const maxdisk = guest.type === "qemu" ? qemuMaxDisk(c) : lxcMaxDisk(c);
  const running = guest.status === "running";
  const uptime = running ? Math.max(0, Math.floor((now - guest.startedAt) / 1000)) : 0;
  const load = wave(now, 180, guest.phase);
  return {
    cpus,
    cpu: running ? Math.round((0.01 + 0.4 * load * load) * 10000) / 10000 : 0,
    maxmem,
    mem: memUsed(guest, maxmem, now),
    maxdisk,
    disk: guest.type === "lxc" ? Math.floor(maxdisk * (0.2 + 0.1 * (guest.phase / Math.PI))) : 0,
    uptime,
    netin: running ? Math.floor(uptime * (2000 + 3000 * (guest.phase / (2 * Math.PI)))) : 0,
    netout: running ? Math.floor(uptime * (1500 + 1000 * (guest.phase / (2 * Math.PI)))) : 0,
    diskread: running ? Math.floor(uptime * 40_000) : 0,
    diskwrite: running ? Math.floor(uptime * 25_000) : 0,
  };
}

export interface NodeStats {
  cpu: number;
  maxcpu: number;
  mem: number;
  maxmem: number;
  disk: number;
  maxdisk: number;
  uptime: number;
  loadavg: [string, string, string];
}

export function nodeStats(state: SimState, node: SimNode, now: number): NodeStats {
  let guestMem = 0;
  for (const g of state.guestsOn(node.name)) if (g.status === "running") guestMem += memUsed(g, maxMem(g), now);
  const cpu = Math.round((0.03 + 0.3 * wave(now, 600, node.phase)) * 10000) / 10000;
  const load = (f: number) => (cpu * node.cpus * f).toFixed(2);
  return {
    cpu,
    maxcpu: node.cpus,
    mem: Math.min(node.memTotal, 3 * GiB + guestMem),
    maxmem: node.memTotal,
    disk: Math.floor(node.rootfsTotal * (0.15 + 0.02 * wave(now, 86400, node.phase))),
    maxdisk: node.rootfsTotal,
    uptime: Math.floor((now - node.bootedAt) / 1000),
    loadavg: [load(1), load(0.9), load(0.8)],
  };
}
