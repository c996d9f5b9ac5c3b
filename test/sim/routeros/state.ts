/**
 * One router's state: fixed facts (model, version, serial), users, interfaces, configuration tables, files,
 * package-update state, and the clock-driven values (uptime, CPU, memory, counters) computed when asked.
 */
import type { SimClock } from "../common/clock";
import { type HardwareModel, LATEST_STABLE } from "./catalog";
import { type ConfigSettings, type ConfigTables, createSettings, createTables } from "./config";
import { FileStore } from "./files";
import { formatDate, formatDuration, usesLegacyDates } from "./formats";
import { InterfaceTable } from "./interfaces";
import { clamp, type Wave, waveAt } from "./metrics";
import type { Row } from "./query";
import { formatId } from "./tables";
import { UserDb } from "./users";

/** Seconds on the lab's time axis start here, which keeps the sine arguments small. */
const LAB_EPOCH_MS = Date.UTC(2020, 0, 1);

export interface RouterFacts {
  name: string;
  model: HardwareModel;
  /** `7.16.1`; printed as `7.16.1 (stable)`. */
  version: string;
  buildTimeMs: number;
  factorySoftware: string;
  serial?: string;
  softwareId?: string;
  currentFirmware?: string;
  factoryFirmware?: string;
  cpu: Wave;
  memoryUsed: Wave;
  /** Bytes of storage the system itself takes. */
  systemHddBytes: number;
  /** Whether `check-for-updates` can reach MikroTik's servers. */
  updateServerReachable: boolean;
  seed: number;
}

export interface UpdateState {
  channel: string;
  latestVersion?: string;
  status?: string;
}

export class RouterState {
  readonly users = new UserDb();
  readonly interfaces = new InterfaceTable();
  readonly files = new FileStore();
  readonly tables: ConfigTables;
  readonly settings: ConfigSettings;
  readonly update: UpdateState = { channel: "stable" };
  readonly legacyDates: boolean;
  bootMs: number;
  lastConfigChangeMs: number;
  reachable = true;

  constructor(
    readonly facts: RouterFacts,
    readonly clock: SimClock,
    bootMs: number,
    lastConfigChangeMs: number,
  ) {
    this.bootMs = bootMs;
    this.lastConfigChangeMs = lastConfigChangeMs;
    this.legacyDates = usesLegacyDates(facts.version);
    this.tables = createTables({ interfaceExists: (name) => this.interfaces.byName(name) !== undefined, nowText: () => this.date(this.nowMs()) });
    this.settings = createSettings(facts.name);
  }

  nowMs(): number {
    return this.clock.now();
  }

  /** Seconds on the lab's time axis (the argument of every rate and wave). */
  seconds(ms = this.nowMs()): number {
    return (ms - LAB_EPOCH_MS) / 1000;
  }

  date(ms: number): string {
    return formatDate(ms, this.legacyDates);
  }

  get identity(): string {
    return this.settings["system/identity"].values.name ?? "MikroTik";
  }

  /** A configuration change: moves `last-config-change` (and so the export body's owner sees a new config). */
  touchConfig(): void {
    this.lastConfigChangeMs = this.nowMs();
  }

  /** A reboot: uptime restarts, counters and link-down counts start from zero. */
  reboot(): void {
    const now = this.nowMs();
    const t = this.seconds(now);
    this.bootMs = now;
    for (const iface of this.interfaces.all()) {
      const running = this.interfaces.running(iface);
      iface.counters.reset(t, running);
      iface.linkDowns = 0;
      if (running) iface.lastLinkUpMs = now;
    }
  }

  resource(): Row {
    const now = this.nowMs();
    const t = this.seconds(now);
    const f = this.facts;
    const m = f.model;
    const uptimeS = Math.max(0, (now - this.bootMs) / 1000);
    const freeMemory = Math.round(m.totalMemory * (1 - clamp(waveAt(f.memoryUsed, t, f.seed + 1), 0.05, 0.97)));
    const freeHdd = Math.max(0, m.totalHdd - f.systemHddBytes - this.files.usedBytes());
    const row: Row = {
      uptime: formatDuration(uptimeS),
      version: `${f.version} (stable)`,
      "build-time": this.date(f.buildTimeMs),
      "factory-software": f.factorySoftware,
      "free-memory": String(freeMemory),
      "total-memory": String(m.totalMemory),
      cpu: m.cpu,
      "cpu-count": String(m.cpuCount),
      "cpu-frequency": String(m.cpuFrequency),
      "cpu-load": String(Math.round(clamp(waveAt(f.cpu, t, f.seed), 0, 100))),
      "free-hdd-space": String(freeHdd),
      "total-hdd-space": String(m.totalHdd),
      "write-sect-since-reboot": String(Math.floor(uptimeS / 7)),
      "write-sect-total": String(Math.floor((now - f.buildTimeMs) / 5000)),
    };
    if (!m.chr) row["bad-blocks"] = "0";
    row["architecture-name"] = m.architecture;
    row["board-name"] = m.boardName;
    row.platform = "MikroTik";
    row["last-config-change"] = this.date(this.lastConfigChangeMs);
    return row;
  }

  /** `/system/routerboard`; undefined on CHR, which has no such menu. */
  routerboard(): Row | undefined {
    const f = this.facts;
    if (f.model.chr) return undefined;
    return {
      routerboard: "true",
      "board-name": f.model.boardName,
      model: f.model.model!,
      "serial-number": f.serial!,
      "firmware-type": f.model.firmwareType!,
      "factory-firmware": f.factoryFirmware!,
      "current-firmware": f.currentFirmware!,
      "upgrade-firmware": f.version,
    };
  }

  /** `/system/health` in the v7 shape: one `{name,value,type}` row per sensor. */
  health(): Row[] {
    const t = this.seconds();
    return this.facts.model.health.map((sensor, i) => {
      let value: string;
      if (sensor.text !== undefined) value = sensor.text;
      else {
        const wave = { base: sensor.base, swing: sensor.base * 0.04, periodS: 3600, phase: i, noise: sensor.base * 0.01 };
        const v = waveAt(wave, t, this.facts.seed + 10 + i);
        value = sensor.type === "V" || sensor.type === "W" ? v.toFixed(1) : sensor.type === "RPM" ? String(Math.round(v / 10) * 10) : String(Math.round(v));
      }
      return { ".id": formatId(i + 1), name: sensor.name, value, type: sensor.type };
    });
  }

  packageUpdate(): Row {
    const row: Row = { channel: this.update.channel, "installed-version": this.facts.version };
    if (this.update.latestVersion !== undefined) row["latest-version"] = this.update.latestVersion;
    if (this.update.status !== undefined) row.status = this.update.status;
    return row;
  }

  /** Runs `check-for-updates`: the progress records it prints, and the state it leaves in `/system/package/update`. */
  checkForUpdates(): Row[] {
    const base = { channel: this.update.channel, "installed-version": this.facts.version };
    const progress: Row[] = [{ ".section": "0", ...base, status: "finding out latest version..." }];
    if (!this.facts.updateServerReachable) {
      this.update.latestVersion = undefined;
      this.update.status = "ERROR: could not resolve dns name";
      progress.push({ ".section": "1", ...base, status: this.update.status });
      return progress;
    }
    this.update.latestVersion = LATEST_STABLE;
    this.update.status = LATEST_STABLE === this.facts.version ? "System is already up to date" : "New version is available";
    progress.push({ ".section": "1", ...base, "latest-version": LATEST_STABLE, status: this.update.status });
    return progress;
  }
}
