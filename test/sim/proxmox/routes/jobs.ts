/** Scheduled backup jobs (`/cluster/backup`) and storage replication jobs (`/cluster/replication`). */
import { die, paramError } from "../errors";
import { splitList } from "../formats";
import type { JobConfig } from "../model";
import type { HandlerContext, PveRouter } from "../router";
import type { ParamValues } from "../validate";
import { str } from "./helpers";

/** Copies parameters into a job record (arrays joined the way PVE writes them). */
function assign(job: JobConfig, params: ParamValues, skip: Set<string>): void {
  for (const [k, v] of Object.entries(params)) {
    if (skip.has(k)) continue;
    job[k] = Array.isArray(v) ? v.join("\n") : v;
  }
}

/** A rough next run: the top of the next hour (enough for a client to show a time). */
function nextRun(nowSeconds: number): number {
  return (Math.floor(nowSeconds / 3600) + 1) * 3600;
}

function backupSelection(params: ParamValues, job?: JobConfig): void {
  const has = (k: string) => params[k] !== undefined || (job !== undefined && job[k] !== undefined);
  if (params.all === 1 && has("vmid")) throw paramError({ all: "option conflicts with option 'vmid'" });
  if (!has("all") && !has("vmid") && !has("pool")) throw paramError({ vmid: "property is missing and it is not optional" });
}

export function jobRoutes(r: PveRouter): void {
  const jobOf = (ctx: HandlerContext) => {
    const id = str(ctx.params, "id")!;
    const job = ctx.state.backupJobs.get(id);
    if (!job) throw die(`Job '${id}' does not exist`);
    return job;
  };

  r.on("GET /cluster/backup", {
    perm: { path: "/", privs: ["Sys.Audit"] },
    handler: ({ state }) => {
      const data = [...state.backupJobs.values()].map((j) => (j.enabled === 0 ? { ...j } : { ...j, "next-run": nextRun(state.clock.nowSeconds()) }));
      return { data, reads: data.length };
    },
  });

  r.on("POST /cluster/backup", {
    perm: { path: "/", privs: ["Sys.Modify"] },
    handler: ({ state, params }) => {
      const id = str(params, "id") ?? `backup-${state.rng.hex(4)}-${state.rng.hex(2)}`;
      if (state.backupJobs.has(id)) throw die(`Job '${id}' already exists`);
      backupSelection(params);
      if (params.schedule === undefined && params.starttime === undefined) throw paramError({ schedule: "property is missing and it is not optional" });
      const job: JobConfig = { id, type: "vzdump", enabled: 1 };
      assign(job, params, new Set(["id", "starttime", "dow"]));
      if (params.schedule === undefined) job.schedule = `${str(params, "dow") ? `${splitList(str(params, "dow")!).join(",")} ` : ""}${str(params, "starttime")}`;
      state.backupJobs.set(id, job);
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /cluster/backup/{id}", { perm: { path: "/", privs: ["Sys.Audit"] }, handler: (ctx) => ({ data: { ...jobOf(ctx) }, reads: 1 }) });

  r.on("PUT /cluster/backup/{id}", {
    perm: { path: "/", privs: ["Sys.Modify"] },
    handler: (ctx) => {
      const job = jobOf(ctx);
      const next = { ...job };
      for (const k of splitList(str(ctx.params, "delete") ?? "")) delete next[k];
      assign(next, ctx.params, new Set(["id", "delete", "starttime", "dow"]));
      if (ctx.params.vmid !== undefined) delete next.all;
      if (ctx.params.all === 1) delete next.vmid;
      backupSelection({}, next);
      ctx.state.backupJobs.set(String(job.id), next);
      return { data: null, writes: 1 };
    },
  });

  r.on("DELETE /cluster/backup/{id}", {
    perm: { path: "/", privs: ["Sys.Modify"] },
    handler: (ctx) => {
      ctx.state.backupJobs.delete(String(jobOf(ctx).id));
      return { data: null, writes: 1 };
    },
  });

  const replicationOf = (ctx: HandlerContext) => {
    const id = str(ctx.params, "id")!;
    const job = ctx.state.replicationJobs.get(id);
    if (!job) throw die(`replication job '${id}' does not exist`);
    ctx.check(`/vms/${job.guest}`, ["VM.Audit"]);
    return job;
  };

  r.on("GET /cluster/replication", {
    handler: (ctx) => {
      const data = [...ctx.state.replicationJobs.values()].filter((j) => ctx.can(`/vms/${j.guest}`, ["VM.Audit"])).map((j) => ({ ...j }));
      return { data, reads: data.length };
    },
  });

  r.on("POST /cluster/replication", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const id = str(params, "id")!;
      const [guestId, jobnum] = id.split("-").map(Number) as [number, number];
      ctx.check(`/vms/${guestId}`, ["VM.Replicate"]);
      if (state.replicationJobs.has(id)) throw die(`replication job '${id}' already exists`);
      const guest = state.guests.get(guestId);
      if (!guest) throw die(`guest '${guestId}' does not exist`);
      const target = str(params, "target")!;
      state.requireNode(target);
      if (target === guest.node) throw die(`unable to replicate to the local node '${target}'`);
      const job: JobConfig = { id, guest: guestId, jobnum, type: "local", target, source: guest.node };
      assign(job, params, new Set(["id", "type", "target", "source"]));
      state.replicationJobs.set(id, job);
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /cluster/replication/{id}", { handler: (ctx) => ({ data: { ...replicationOf(ctx) }, reads: 1 }) });

  r.on("PUT /cluster/replication/{id}", {
    handler: (ctx) => {
      const job = replicationOf(ctx);
      ctx.check(`/vms/${job.guest}`, ["VM.Replicate"]);
      for (const k of splitList(str(ctx.params, "delete") ?? "")) delete job[k];
      assign(job, ctx.params, new Set(["id", "delete", "digest"]));
      return { data: null, writes: 1 };
    },
  });

  r.on("DELETE /cluster/replication/{id}", {
    handler: (ctx) => {
      const job = replicationOf(ctx);
      ctx.check(`/vms/${job.guest}`, ["VM.Replicate"]);
      ctx.state.replicationJobs.delete(String(job.id));
      return { data: null, writes: 1 };
    },
  });
}
