/**
 * Commands beyond print/add/set/remove: `export` (to a file only), `execute`, `interface/monitor-traffic` and
 * `system/package/update/check-for-updates`. Monitors without `once` run until the 60 s REST cap ends them.
 */
import { invalidValue, missingArgument, noMatch, notEnoughPermissions } from "./errors";
import { renderExport } from "./export";
import { parseDurationArg } from "./formats";
import type { Command, CommandCall, RequestContext } from "./menu";
import { project, type Row } from "./query";
import type { RouterState } from "./state";

const MONITOR_ARGS = ["once", "duration", "interval", "as-value", "append", "do", "file", "without-paging"] as const;

function trafficRecord(state: RouterState, name: string, t: number): Row {
  const iface = state.interfaces.byName(name)!;
  const r = iface.counters.ratesAt(t);
  return {
    name,
    "rx-packets-per-second": String(r.rxPps),
    "rx-bits-per-second": String(r.rxBps),
    "fp-rx-packets-per-second": "0",
    "fp-rx-bits-per-second": "0",
    "rx-drops-per-second": "0",
    "rx-errors-per-second": "0",
    "tx-packets-per-second": String(r.txPps),
    "tx-bits-per-second": String(r.txBps),
    "fp-tx-packets-per-second": "0",
    "fp-tx-bits-per-second": "0",
    "tx-drops-per-second": "0",
    "tx-queue-drops-per-second": "0",
    "tx-errors-per-second": "0",
  };
}

/**
 * How long a monitor runs and when it samples: `once` samples now; `duration` samples every `interval` until it
 * ends; neither means forever.
 */
function monitorPlan(call: CommandCall): { runMs: number; samples: number; intervalMs: number } {
  const intervalMs = call.args.has("interval") ? parseDurationArg("interval", call.args.get("interval")!) : 1000;
  if (intervalMs <= 0) throw invalidValue("interval");
  if (call.args.has("once")) return { runMs: 0, samples: 1, intervalMs };
  if (!call.args.has("duration")) return { runMs: Number.POSITIVE_INFINITY, samples: 0, intervalMs };
  const runMs = parseDurationArg("duration", call.args.get("duration")!);
  return { runMs, samples: Math.max(1, Math.floor(runMs / intervalMs)), intervalMs };
}

function monitorTraffic(state: RouterState): Command {
  return {
    args: ["interface", ...MONITOR_ARGS],
    policies: ["read"],
    run: async (ctx, call) => {
      const list = call.args.get("interface");
      if (list === undefined) throw missingArgument("interface");
      const names = list.split(",").map((key) => {
        const iface = state.interfaces.find(key.trim());
        if (!iface) throw noMatch("interface");
        return iface.config.name!;
      });
      const plan = monitorPlan(call);
      const start = state.nowMs();
      await ctx.hold(plan.runMs);
      const out: Row[] = [];
      for (let k = 0; k < plan.samples; k++) {
        const t = state.seconds(plan.runMs === 0 ? start : start + (k + 1) * plan.intervalMs);
        for (const name of names) {
          const record = project(trafficRecord(state, name, t), call.proplist);
          out.push(plan.runMs === 0 ? record : { ".section": String(k), ...record });
        }
      }
      return out;
    },
  };
}

function checkForUpdates(state: RouterState): Command {
  return {
    args: MONITOR_ARGS,
    policies: ["read"],
    run: (_ctx, call) => state.checkForUpdates().map((row) => (call.proplist ? { ".section": row[".section"]!, ...project(row, call.proplist) } : row)),
  };
}

function exportCommand(state: RouterState): Command {
  return {
    args: ["file", "compact", "show-sensitive", "hide-sensitive", "terse", "verbose"],
    policies: ["read"],
    writes: true,
    run: (ctx, { args }) => {
      const showSensitive = args.has("show-sensitive");
      if (showSensitive && !ctx.user.policies.has("sensitive")) throw notEnoughPermissions();
      const file = args.get("file");
      // Without `file` the text goes to the console of the API session, which REST does not return.
      if (file === undefined) return [];
      if (!ctx.user.policies.has("ftp")) throw notEnoughPermissions();
      if (file === "") throw invalidValue("file");
      const name = file.endsWith(".rsc") ? file : `${file}.rsc`;
      const now = state.nowMs();
      const text = renderExport(state, now, { showSensitive, terse: args.has("terse") });
      state.files.write(name, "script", text.replace(/\n/g, "\r\n"), now);
      return [];
    },
  };
}

/** A small console: `:put <text>` and `:delay <time>`; anything else is a bad command, reported in `ret`. */
function executeCommand(): Command {
  let jobs = 0x100;
  return {
    args: ["script", "as-string", "file"],
    policies: ["read"],
    run: async (ctx, { args }) => {
      const script = args.get("script");
      if (script === undefined) throw missingArgument("script");
      if (!args.has("as-string")) return { ret: `*${(jobs++).toString(16).toUpperCase()}` };
      return { ret: await runScript(ctx, script) };
    },
  };
}

async function runScript(ctx: RequestContext, script: string): Promise<string> {
  const output: string[] = [];
  const lines = script.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    for (const statement of line.split(";")) {
      const text = statement.trim();
      if (text === "") continue;
      const put = /^:put\s+(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(text);
      if (put) {
        output.push(put[1] !== undefined ? put[1].replace(/\\(.)/g, "$1") : put[2]!);
        continue;
      }
      const delay = /^:delay\s+(\S+)$/.exec(text);
      if (delay) {
        await ctx.hold(parseDurationArg("delay", delay[1]!));
        continue;
      }
      const word = text.split(/\s+/)[0]!;
      return `bad command name ${word.replace(/^[:/]/, "")} (line ${i + 1} column ${line.indexOf(word) + 2})`;
    }
  }
  return output.join("\n");
}

export const commandMenus = {
  root: (state: RouterState): Record<string, Command> => ({ export: exportCommand(state), execute: executeCommand() }),
  interface: (state: RouterState): Record<string, Command> => ({ "monitor-traffic": monitorTraffic(state) }),
  packageUpdate: (state: RouterState): Record<string, Command> => ({ "check-for-updates": checkForUpdates(state) }),
};
