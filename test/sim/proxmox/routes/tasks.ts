/** Task list, status, log and stop (`/nodes/{node}/tasks…`). */
import { splitTokenId } from "../access";
import { paramError, permissionDenied } from "../errors";
import { splitList } from "../formats";
import type { HandlerContext, PveRouter } from "../router";
import { decodeUpid, type Task } from "../tasks";
import { flag, int, str } from "./helpers";

/** Tasks of tokens report `user` and `tokenid` separately (`$convert_token_task`). */
function taskUser(task: Task): { user: string; tokenid?: string } {
  const { userid, token } = splitTokenId(task.user);
  return token ? { user: userid, tokenid: token } : { user: task.user };
}

/** A caller sees its own tasks (a user also those of its tokens); everything else needs `privs` on the node. */
function ownsTask(ctx: HandlerContext, task: Task): boolean {
  return task.user === ctx.auth.authid || (ctx.auth.token === undefined && splitTokenId(task.user).userid === ctx.auth.authid);
}

function findTask(ctx: HandlerContext): Task {
  const upid = str(ctx.params, "upid")!;
  const decoded = decodeUpid(upid);
  if (!decoded) throw paramError({ upid: "unable to parse worker upid" });
  const task = ctx.state.tasks.get(upid);
  if (!task || decoded.node !== str(ctx.params, "node")) throw paramError({ upid: "no such task" });
  return task;
}

const STATUS_TYPES: Record<string, (t: Task) => boolean> = {
  ok: (t) => t.exitstatus === "OK",
  warning: (t) => t.exitstatus?.startsWith("WARNINGS: ") ?? false,
  error: (t) => t.exitstatus !== undefined && t.exitstatus !== "OK" && !t.exitstatus.startsWith("WARNINGS: "),
  unknown: () => false,
};

export function taskRoutes(r: PveRouter): void {
  r.on("GET /nodes/{node}/tasks", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const node = str(params, "node")!;
      const all = ctx.can(`/nodes/${node}`, ["Sys.Audit"]);
      const source = str(params, "source") ?? "archive";
      const vmid = int(params, "vmid");
      const type = str(params, "typefilter");
      const user = str(params, "userfilter");
      const since = int(params, "since");
      const until = int(params, "until");
      const statuses = splitList(str(params, "statusfilter") ?? "").map((s) => s.toLowerCase());
      const matching = state.tasks
        .onNode(node)
        .filter((t) => {
          if (source === "archive" && t.status === "running") return false;
          if (source === "active" && t.status !== "running") return false;
          if (!all && !ownsTask(ctx, t)) return false;
          if (vmid !== undefined && t.id !== String(vmid)) return false;
          if (type !== undefined && t.type !== type) return false;
          if (user !== undefined && !t.user.toLowerCase().includes(user.toLowerCase())) return false;
          if (since !== undefined && t.starttime < since) return false;
          if (until !== undefined && t.starttime > until) return false;
          if (flag(params, "errors") && !STATUS_TYPES.error!(t)) return false;
          if (statuses.length > 0 && !statuses.some((s) => STATUS_TYPES[s]?.(t))) return false;
          return true;
        })
        .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
      const start = int(params, "start") ?? 0;
      const limit = int(params, "limit") ?? 50;
      const data = matching.slice(start, start + limit).map((t) => ({
        upid: t.upid,
        node: t.node,
        pid: t.pid,
        pstart: t.pstart,
        starttime: t.starttime,
        type: t.type,
        id: t.id,
        ...taskUser(t),
        ...(t.status === "stopped" ? { status: t.exitstatus, endtime: t.endtime } : {}),
      }));
      return { data, extra: { total: matching.length }, reads: data.length };
    },
  });

  r.on("GET /nodes/{node}/tasks/{upid}/status", {
    handler: (ctx) => {
      const task = findTask(ctx);
      if (!ownsTask(ctx, task)) ctx.check(`/nodes/${task.node}`, ["Sys.Audit"]);
      const data: Record<string, unknown> = {
        upid: task.upid,
        node: task.node,
        pid: task.pid,
        pstart: task.pstart,
        starttime: task.starttime,
        type: task.type,
        id: task.id,
        ...taskUser(task),
        status: task.status,
      };
      if (task.status === "stopped") data.exitstatus = task.exitstatus;
      return { data, reads: 1 };
    },
  });

  r.on("GET /nodes/{node}/tasks/{upid}/log", {
    handler: (ctx) => {
      const task = findTask(ctx);
      if (!ownsTask(ctx, task)) ctx.check(`/nodes/${task.node}`, ["Sys.Audit"]);
      const start = int(ctx.params, "start") ?? 0;
      const limit = int(ctx.params, "limit") ?? 50;
      const lines = task.log.length > 0 ? task.log : ["no content"];
      const data = lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
      return { data, extra: { total: lines.length }, reads: data.length };
    },
  });

  r.on("DELETE /nodes/{node}/tasks/{upid}", {
    handler: (ctx) => {
      const task = findTask(ctx);
      if (!ownsTask(ctx, task) && !ctx.can(`/nodes/${task.node}`, ["Sys.Modify"])) throw permissionDenied(`/nodes/${task.node}, Sys.Modify`);
      ctx.state.tasks.stop(task);
      return { data: null, writes: 1 };
    },
  });
}
