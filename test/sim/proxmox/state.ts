/**
 * The simulated cluster: nodes, guests (indexed by VMID cluster-wide and per node), storages and their volumes,
 * pools, jobs, access control and tasks. Everything a handler needs, with O(1) lookups so 10 nodes × 1,000 guests
 * stay fast.
 */
import type { SimClock } from "../common/clock";
import { Rng } from "../common/rng";
import { AccessControl } from "./access";
import { die } from "./errors";
import type { Guest, GuestType, JobConfig, Pool, SimNode, Storage, Volume } from "./model";
import { TaskManager } from "./tasks";

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export class SimState {
  readonly nodes = new Map<string, SimNode>();
  readonly guests = new Map<number, Guest>();
  private readonly guestsByNode = new Map<string, Map<number, Guest>>();
  readonly pools = new Map<string, Pool>();
  readonly backupJobs = new Map<string, JobConfig>();
  readonly replicationJobs = new Map<string, JobConfig>();
  readonly haResources = new Map<string, JobConfig>();
  readonly access: AccessControl;
  readonly tasks: TaskManager;
  readonly rng: Rng;

  constructor(
    readonly clusterName: string,
    readonly clock: SimClock,
    seed: number,
    taskDurations: Record<string, number>,
  ) {
    this.rng = new Rng(seed ^ 0x5eed);
    this.access = new AccessControl(this.rng, () => clock.nowSeconds(), (vmid) => this.guests.get(vmid)?.pool);
    this.tasks = new TaskManager(clock, taskDurations, (name) => {
      const node = this.nodes.get(name)!;
      return { bootedAt: node.bootedAt, nextPid: () => (node.nextPid += this.rng.int(1, 40)) };
    });
  }

  now(): number {
    return this.clock.now();
  }

  settle(): void {
    this.tasks.settle();
  }

  firstNode(): SimNode {
    return this.nodes.values().next().value!;
  }

  addNode(node: SimNode): void {
    this.nodes.set(node.name, node);
    this.guestsByNode.set(node.name, new Map());
  }

  /** The node of a `/nodes/{node}` path; an unknown one fails like PVE's proxy step. */
  requireNode(name: string): SimNode {
    const node = this.nodes.get(name);
    if (!node) throw die(`hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
    return node;
  }

  guestsOn(node: string): Iterable<Guest> {
    return this.guestsByNode.get(node)?.values() ?? [];
  }

  addGuest(guest: Guest): void {
    this.guests.set(guest.vmid, guest);
    this.guestsByNode.get(guest.node)!.set(guest.vmid, guest);
  }

  removeGuest(vmid: number): void {
    const guest = this.guests.get(vmid);
    if (!guest) return;
    this.guests.delete(vmid);
    this.guestsByNode.get(guest.node)?.delete(vmid);
  }

  /** A guest of `type` on `node`, or PVE's "config file does not exist" error. */
  requireGuest(node: string, vmid: number, type: GuestType): Guest {
    const guest = this.guestsByNode.get(node)?.get(vmid);
    if (!guest || guest.type !== type) {
      const dir = type === "qemu" ? "qemu-server" : "lxc";
      throw die(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
    }
    return guest;
  }

  nextFreeVmid(from = 100): number {
    let id = from;
    while (this.guests.has(id)) id++;
    return id;
  }

  /** A new MAC with Proxmox's default datacenter prefix. */
  newMac(): string {
    return this.rng.mac([0xbc, 0x24, 0x11]);
  }

  // --- storage ---

  storage(node: string, id: string): Storage | undefined {
    return this.nodes.get(node)?.storages.get(id);
  }

  requireStorage(node: string, id: string): Storage {
    const s = this.storage(node, id);
    if (!s) throw die(`storage '${id}' does not exist`);
    return s;
  }

  usedBytes(storage: Storage): number {
    let used = 0;
    for (const v of storage.volumes.values()) used += v.size;
    return used;
  }

  /** Finds a volume by volid on a node. */
  volume(node: string, volid: string): Volume | undefined {
    const sid = volid.slice(0, volid.indexOf(":"));
    return this.storage(node, sid)?.volumes.get(volid);
  }

  /** Allocates `vm-<vmid>-disk-<n>` (or a given name) on a storage, checking content type and free space. */
  allocateDisk(node: string, storageId: string, vmid: number, sizeBytes: number, content: "images" | "rootdir", name?: string): Volume {
    const storage = this.requireStorage(node, storageId);
    if (!storage.content.includes(content)) {
      throw new Error(`storage '${storageId}' does not support ${content === "images" ? "vm images" : "container directories"}`);
    }
    const free = storage.total - this.usedBytes(storage);
    if (sizeBytes > free) {
      throw new Error(`lvcreate 'pve/vm-${vmid}-disk' error:   Volume group "pve" has insufficient free space (${Math.floor(free / 4 / MiB)} extents): ${Math.ceil(sizeBytes / 4 / MiB)} required.`);
    }
    let volname = name;
    if (!volname) {
      let n = 0;
      while (storage.volumes.has(`${storageId}:vm-${vmid}-disk-${n}`)) n++;
      volname = `vm-${vmid}-disk-${n}`;
    }
    const volume: Volume = { volid: `${storageId}:${volname}`, content, format: "raw", size: sizeBytes, ctime: this.clock.nowSeconds(), vmid };
    storage.volumes.set(volume.volid, volume);
    return volume;
  }

  freeVolume(node: string, volid: string): void {
    const sid = volid.slice(0, volid.indexOf(":"));
    this.storage(node, sid)?.volumes.delete(volid);
  }
}
