/** What QEMU and LXC guests share: destroy, snapshots, and `vzdump` backups. */
import { parseVolid } from "../disks";
import { die, paramError } from "../errors";
import { splitList } from "../formats";
import { parsePropertyString } from "../property-string";
import type { Guest, GuestConfig, GuestType, Volume } from "../model";
import type { HandlerContext, PveRouter } from "../router";
import { LXC_MP_FORMAT, LXC_ROOTFS_FORMAT } from "../schema/lxc";
import { guestStats } from "../stats";
import type { SimState } from "../state";
import { checkLock, flag, guestName, guestOf, guestWord, markRunning, markStopped, str } from "./helpers";
import { diskVolumes } from "../qemu-config";

const copyConfig = (config: GuestConfig): GuestConfig => {
  const { lock: _lock, ...rest } = config;
  return rest;
};

/** Volumes a guest owns through its config (QEMU disks, LXC rootfs and mount points, unused entries). */
export function guestVolumes(guest: Guest): string[] {
  if (guest.type === "qemu") return diskVolumes(guest.config);
  const out: string[] = [];
  for (const [k, v] of Object.entries(guest.config)) {
    if (typeof v !== "string") continue;
    if (k === "rootfs") out.push(parsePropertyString(LXC_ROOTFS_FORMAT, v).volume!);
    else if (/^mp\d+$/.test(k)) out.push(parsePropertyString(LXC_MP_FORMAT, v).volume!);
    else if (/^unused\d+$/.test(k)) out.push(v);
  }
  return out.filter((v) => !v.startsWith("/"));
}

const haSid = (guest: Guest) => `${guest.type === "qemu" ? "vm" : "ct"}:${guest.vmid}`;

/** Starts the destroy task after the synchronous checks the caller did (running, lock, protection). */
export function destroyGuest(ctx: HandlerContext, guest: Guest, taskType: string) {
  const { state, params } = ctx;
  const purge = flag(params, "purge");
  const word = guestWord(guest.type);
  if (!purge) {
    if (state.haResources.has(haSid(guest))) throw die(`unable to remove ${word} ${guest.vmid} - used in HA resources and purge parameter not set.`);
    for (const job of state.replicationJobs.values()) {
      if (Number(job.guest) === guest.vmid) throw die(`unable to remove ${word} ${guest.vmid} - used in replication jobs and purge parameter not set.`);
    }
  }
  const task = state.tasks.start({
    node: guest.node,
    type: taskType,
    id: String(guest.vmid),
    user: ctx.auth.authid,
    run: () => {
      for (const volid of guestVolumes(guest)) state.freeVolume(guest.node, volid);
      if (flag(params, "destroy-unreferenced-disks")) {
        for (const storage of state.nodes.get(guest.node)!.storages.values()) {
          for (const v of [...storage.volumes.values()]) {
            if (v.vmid === guest.vmid && (v.content === "images" || v.content === "rootdir")) storage.volumes.delete(v.volid);
          }
        }
      }
      state.removeGuest(guest.vmid);
      state.access.removeVmAcls(guest.vmid);
      if (purge) purgeGuest(state, guest);
      return {};
    },
  });
  return { data: task.upid, writes: 1 };
}

/** `purge=1`: drop the guest from backup jobs, replication jobs and HA. */
function purgeGuest(state: SimState, guest: Guest): void {
  state.haResources.delete(haSid(guest));
  for (const [id, job] of state.replicationJobs) if (Number(job.guest) === guest.vmid) state.replicationJobs.delete(id);
  for (const job of state.backupJobs.values()) {
    if (typeof job.vmid !== "string") continue;
    const rest = splitList(job.vmid).filter((v) => Number(v) !== guest.vmid);
    job.vmid = rest.join(",");
  }
}

export function snapshotRoutes(r: PveRouter, type: GuestType): void {
  const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
  const prefix = type === "qemu" ? "qm" : "vz";
  const snapOf = (guest: Guest, name: string) => {
    const snap = guest.snapshots.get(name);
    if (!snap) throw die(`snapshot '${name}' does not exist`);
    return snap;
  };
  const lockedTask = (ctx: HandlerContext, guest: Guest, lock: string, taskType: string, run: () => void) => {
    guest.config.lock = lock;
    const unlock = () => {
      if (guest.config.lock === lock) delete guest.config.lock;
    };
    const task = ctx.state.tasks.start({
      node: guest.node,
      type: taskType,
      id: String(guest.vmid),
      user: ctx.auth.authid,
      run: () => {
        unlock();
        run();
      },
      onFailure: unlock,
    });
    return { data: task.upid, writes: 1 };
  };

  r.on(`GET ${base}`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.Audit"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, type);
      const data: Record<string, unknown>[] = [...guest.snapshots.values()]
        .sort((a, b) => a.snaptime - b.snaptime)
        .map((s) => ({
          name: s.name,
          description: s.description,
          snaptime: s.snaptime,
          ...(s.parent ? { parent: s.parent } : {}),
          ...(type === "qemu" ? { vmstate: s.vmstate ? 1 : 0 } : {}),
        }));
      data.push({ name: "current", description: "You are here!", running: guest.status === "running" ? 1 : 0, ...(guest.parent ? { parent: guest.parent } : {}) });
      return { data, reads: data.length };
    },
  });

  r.on(`POST ${base}`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.Snapshot"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, type);
      const name = str(ctx.params, "snapname")!;
      if (name === "current") throw die("unable to use snapshot name 'current' (reserved name)");
      if (guest.snapshots.has(name)) throw die(`snapshot name '${name}' already used`);
      checkLock(guest);
      const vmstate = flag(ctx.params, "vmstate") && guest.status === "running";
      const description = str(ctx.params, "description") ?? "";
      return lockedTask(ctx, guest, "snapshot", `${prefix}snapshot`, () => {
        guest.snapshots.set(name, {
          name,
          description,
          snaptime: ctx.state.clock.nowSeconds(),
          ...(guest.parent ? { parent: guest.parent } : {}),
          vmstate,
          config: copyConfig(guest.config),
        });
        guest.parent = name;
      });
    },
  });

  r.on(`DELETE ${base}/{snapname}`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.Snapshot"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, type);
      const name = str(ctx.params, "snapname")!;
      const snap = snapOf(guest, name);
      if (!flag(ctx.params, "force")) checkLock(guest);
      return lockedTask(ctx, guest, "snapshot-delete", `${prefix}delsnapshot`, () => {
        for (const other of guest.snapshots.values()) if (other.parent === name) other.parent = snap.parent;
        if (guest.parent === name) guest.parent = snap.parent;
        guest.snapshots.delete(name);
      });
    },
  });

  r.on(`POST ${base}/{snapname}/rollback`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.Snapshot", "VM.Snapshot.Rollback"], any: true },
    handler: (ctx) => {
      const guest = guestOf(ctx, type);
      const snap = snapOf(guest, str(ctx.params, "snapname")!);
      checkLock(guest);
      const start = flag(ctx.params, "start");
      return lockedTask(ctx, guest, "rollback", `${prefix}rollback`, () => {
        guest.config = copyConfig(snap.config);
        guest.parent = snap.name;
        if (snap.vmstate || start) markRunning(ctx.state, guest);
        else markStopped(guest);
      });
    },
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

function backupTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}-${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}

const ARCHIVE_EXT: Record<string, string> = { "0": "", "1": ".lzo", gzip: ".gz", lzo: ".lzo", zstd: ".zst" };

function renderNotes(template: string, state: SimState, guest: Guest): string {
  return template
    .replaceAll("{{guestname}}", guestName(guest))
    .replaceAll("{{vmid}}", String(guest.vmid))
    .replaceAll("{{node}}", guest.node)
    .replaceAll("{{cluster}}", state.clusterName);
}

/** Keeps the newest `keep-last` unprotected backups of a guest on a storage. */
function prune(state: SimState, node: string, storageId: string, vmid: number, keepLast: number): void {
  const storage = state.storage(node, storageId)!;
  const backups = [...storage.volumes.values()]
    .filter((v) => v.content === "backup" && v.vmid === vmid && !v.protected)
    .sort((a, b) => b.ctime - a.ctime || b.volid.localeCompare(a.volid));
  for (const v of backups.slice(keepLast)) storage.volumes.delete(v.volid);
}

export function vzdumpRoute(r: PveRouter): void {
  r.on("POST /nodes/{node}/vzdump", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const node = str(params, "node")!;
      const vmidList = str(params, "vmid");
      if (flag(params, "all") && vmidList !== undefined) throw paramError({ all: "option conflicts with option 'vmid'" });
      if (!flag(params, "all") && !flag(params, "stop") && str(params, "pool") === undefined && vmidList === undefined) {
        throw paramError({ vmid: "property is missing and it is not optional" });
      }
      const storageId = str(params, "storage") ?? "local";
      const storage = state.requireStorage(node, storageId);
      if (!storage.content.includes("backup")) throw die(`storage '${storageId}' does not support backups`);
      ctx.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
      const excluded = new Set(splitList(str(params, "exclude") ?? "").map(Number));
      let wanted: number[];
      if (vmidList !== undefined) wanted = splitList(vmidList).map(Number);
      else if (str(params, "pool") !== undefined) wanted = [...state.guests.values()].filter((g) => g.pool === str(params, "pool")).map((g) => g.vmid);
      else wanted = [...state.guestsOn(node)].map((g) => g.vmid);
      wanted = wanted.filter((id) => !excluded.has(id));
      const local: Guest[] = [];
      const external: number[] = [];
      for (const id of wanted) {
        const g = state.guests.get(id);
        if (g && g.node === node) local.push(g);
        else external.push(id);
      }
      for (const g of local) ctx.check(`/vms/${g.vmid}`, ["VM.Backup"]);
      const taskId = vmidList !== undefined && /^\d+$/.test(vmidList) ? vmidList : "";
      const log = external.length > 0 ? [`skip external VMs: ${external.join(", ")}`] : [];
      const locked = local.filter((g) => g.config.lock !== undefined);
      const eligible = local.filter((g) => g.config.lock === undefined && g.config.template !== 1);
      for (const g of eligible) g.config.lock = "backup";
      const unlock = () => {
        for (const g of eligible) if (g.config.lock === "backup") delete g.config.lock;
      };
      const compress = str(params, "compress") ?? "0";
      const startedAt = state.now();
      const keepLast = /keep-last=(\d+)/.exec(str(params, "prune-backups") ?? "")?.[1];
      const task = state.tasks.start({
        node,
        type: "vzdump",
        id: taskId,
        user: ctx.auth.authid,
        log,
        run: () => {
          unlock();
          const lines: string[] = [];
          for (const g of eligible) {
            lines.push(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
            const ext = `${g.type === "qemu" ? "vma" : "tar"}${ARCHIVE_EXT[compress] ?? ""}`;
            const volid = `${storageId}:backup/vzdump-${g.type}-${g.vmid}-${backupTimestamp(startedAt)}.${ext}`;
            const s = guestStats(g, state.now());
            const volume: Volume = {
              volid,
              content: "backup",
              format: ext,
              size: Math.max(1024 * 1024, Math.floor((g.type === "qemu" ? s.maxdisk : s.disk) * 0.35)),
              ctime: state.clock.nowSeconds(),
              vmid: g.vmid,
              backupOf: { type: g.type, config: copyConfig(g.config) },
            };
            const notes = str(params, "notes-template");
            if (notes !== undefined) volume.notes = renderNotes(notes, state, g);
            if (flag(params, "protected")) volume.protected = true;
            storage.volumes.set(volid, volume);
            if (keepLast !== undefined) prune(state, node, storageId, g.vmid, Number(keepLast));
            lines.push(`INFO: Finished Backup of VM ${g.vmid}`);
          }
          if (locked.length > 0) {
            return { log: [...lines, ...locked.map((g) => `ERROR: Backup of VM ${g.vmid} failed - ${guestWord(g.type)} is locked (${g.config.lock})`)], error: "job errors" };
          }
          return { log: lines };
        },
        onFailure: unlock,
      });
      return { data: task.upid, writes: eligible.length };
    },
  });
}

/** Checks `check_volume_access` for listing one volume. */
export function canSeeVolume(ctx: HandlerContext, volume: Volume): boolean {
  const parsed = parseVolid(volume.volid);
  if (!parsed) return false;
  const sid = parsed.storage;
  if (ctx.can(`/storage/${sid}`, ["Datastore.Allocate"])) return true;
  if (volume.content === "iso" || volume.content === "vztmpl" || volume.content === "import") {
    return ctx.can(`/storage/${sid}`, ["Datastore.AllocateSpace", "Datastore.Audit"], true);
  }
  if (volume.content === "backup" && volume.vmid !== undefined) {
    return ctx.can(`/storage/${sid}`, ["Datastore.AllocateSpace"]) && ctx.can(`/vms/${volume.vmid}`, ["VM.Backup"]);
  }
  if ((volume.content === "images" || volume.content === "rootdir") && volume.vmid !== undefined) {
    return ctx.can(`/storage/${sid}`, ["Datastore.Audit"]) && ctx.can(`/vms/${volume.vmid}`, ["VM.Config.Disk"]);
  }
  return false;
}
