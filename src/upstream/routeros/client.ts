/**
 * Typed RouterOS 7 REST client over `Transport` (spec §3). Basic auth on every request; every read names its
 * fields with `.proplist`; values arrive as strings and are parsed here. Reads (GET, `print`, `monitor-traffic
 * once`, `file/read`) may be retried by the transport; commands that change state (add, set, export) are not.
 * Error bodies `{error,message,detail}` become upstream errors that carry RouterOS' `detail` text.
 */
import { ApiError } from "../../errors";
import type { RouterosCredentials } from "../credentials";
import { type Transport, UpstreamError, type UpstreamResponse, upstreamFailure } from "../transport";
import { parseRosBool, parseRosDate, parseRosDuration, parseRosNumber } from "./values";

export type RosRecord = Record<string, string>;
export type RosValue = string | number | boolean;

export interface PrintOptions {
  /** The fields to return; polling must name them (RouterOS computes slow ones otherwise). */
  proplist: readonly string[];
  /** Exact-match filters, e.g. `{ type: "ether", running: true }`. */
  where?: Record<string, RosValue>;
  /** API query words without `?` (`type=ether`, `type=vlan`, `#|`), evaluated on RouterOS' stack (spec §2.5). */
  query?: readonly string[];
}

export interface CommandOptions {
  /** Safe to repeat (a read such as `print` or `monitor-traffic once`); default false. */
  idempotent?: boolean;
  proplist?: readonly string[];
}

export interface SystemResource {
  /** As printed, e.g. `7.16.1 (stable)`. */
  version: string;
  /** `7.16.1`. */
  versionNumber: string;
  channel?: string;
  buildTime?: string;
  uptimeSeconds: number;
  cpuLoad: number;
  cpuCount?: number;
  freeMemory: number;
  totalMemory: number;
  freeHddSpace?: number;
  totalHddSpace?: number;
  architecture?: string;
  boardName: string;
  platform?: string;
  /** The raw text: compare it with the previous poll to detect a change. */
  lastConfigChange?: string;
  /** `lastConfigChange` in ms (router-local time read as UTC); undefined when absent or unreadable. */
  lastConfigChangeAt?: number;
}

export interface Routerboard {
  boardName?: string;
  model: string;
  serialNumber: string;
  firmwareType?: string;
  factoryFirmware?: string;
  currentFirmware?: string;
  upgradeFirmware?: string;
  /** The firmware on the board is older than the one RouterOS carries. */
  firmwareUpgradePending: boolean;
}

export interface HealthReading {
  name: string;
  /** As printed (`45`, `24.1`, `ok`). */
  value: string;
  /** The value as a number, or null for states such as `ok`. */
  numeric: number | null;
  /** Unit: `C`, `V`, `A`, `W`, `RPM`, or `""`. */
  type: string;
}

export interface InterfaceStats {
  id: string;
  name: string;
  type: string;
  running: boolean;
  disabled: boolean;
  rxByte: number;
  txByte: number;
  rxPacket: number;
  txPacket: number;
  rxError: number;
  txError: number;
  rxDrop: number;
  txDrop: number;
  linkDowns: number;
  macAddress?: string;
  /** Null when RouterOS prints `auto` (bridges). */
  mtu: number | null;
  comment?: string;
}

export interface TrafficSample {
  name: string;
  rxBitsPerSecond: number;
  txBitsPerSecond: number;
  rxPacketsPerSecond: number;
  txPacketsPerSecond: number;
}

export interface IpAddress {
  id: string;
  /** `192.168.88.1/24`. */
  address: string;
  network?: string;
  interface: string;
  actualInterface?: string;
  disabled: boolean;
  dynamic: boolean;
  invalid: boolean;
  comment?: string;
}

export interface PackageUpdate {
  channel?: string;
  installedVersion: string;
  latestVersion?: string;
  status?: string;
  updateAvailable: boolean;
}

export interface ExportOptions {
  /** Include secrets (needs the `sensitive` policy). */
  showSensitive?: boolean;
  /** File name without `.rsc`; default a random `outpost-export-…` so parallel exports do not collide. */
  fileName?: string;
  /** Bytes per `file/read` (default 32768, the manual's example). */
  chunkSize?: number;
}

const RESOURCE_FIELDS = [
  "version",
  "build-time",
  "uptime",
  "cpu-load",
  "cpu-count",
  "free-memory",
  "total-memory",
  "free-hdd-space",
  "total-hdd-space",
  "architecture-name",
  "board-name",
  "platform",
  "last-config-change",
];
const ROUTERBOARD_FIELDS = ["routerboard", "board-name", "model", "serial-number", "firmware-type", "factory-firmware", "current-firmware", "upgrade-firmware"];
/** v7 rows plus the v6 flat-map keys, so one proplist serves both shapes. */
const HEALTH_FIELDS = ["name", "value", "type", "temperature", "cpu-temperature", "board-temperature1", "board-temperature2", "voltage", "current", "power-consumption", "fan1-speed", "fan2-speed", "psu1-voltage", "psu2-voltage"];
const INTERFACE_FIELDS = [".id", "name", "type", "running", "disabled", "rx-byte", "tx-byte", "rx-packet", "tx-packet", "rx-error", "tx-error", "rx-drop", "tx-drop", "link-downs", "mac-address", "mtu", "comment"];
const TRAFFIC_FIELDS = ["name", "rx-bits-per-second", "tx-bits-per-second", "rx-packets-per-second", "tx-packets-per-second"];
const ADDRESS_FIELDS = [".id", "address", "network", "interface", "actual-interface", "disabled", "dynamic", "invalid", "comment"];
const UPDATE_FIELDS = ["channel", "installed-version", "latest-version", "status"];

const DEFAULT_CHUNK_SIZE = 32_768;
/** A runaway guard for `file/read`: 64 MiB at the default chunk size. */
const MAX_CHUNKS = 2048;

/** Menu paths are `ip/firewall/filter`; each segment is encoded, `*` stays (RouterOS does not decode `%2A`). */
const menuPath = (menu: string) =>
  `/rest/${menu
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/")}`;

function basicAuth({ username, password }: RouterosCredentials): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

function wireValue(value: RosValue): string | boolean {
  return typeof value === "number" ? String(value) : value;
}

/** Query-string values: booleans as RouterOS prints them (`true`), not the transport's `1`/`0`. */
const queryText = (value: RosValue) => String(value);

/** The `detail` of a RouterOS error, if the error came from one. */
export function routerosDetail(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const details = err.details as { routeros_detail?: unknown } | undefined;
  return typeof details?.routeros_detail === "string" ? details.routeros_detail : undefined;
}

export class RouterosClient {
  readonly #transport: Transport;
  readonly #auth: string;

  constructor(transport: Transport, credentials: RouterosCredentials) {
    this.#transport = transport;
    this.#auth = basicAuth(credentials);
  }

  // --- plumbing ---

  async #send(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, options: { query?: Record<string, string>; body?: unknown; idempotent: boolean }): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: this.#auth, Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await this.#transport.request({
      method,
      path,
      ...(options.query ? { query: options.query } : {}),
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      idempotent: options.idempotent,
    });
    if (!res.ok) throw this.#failure(res);
    if (res.body.length === 0) return undefined;
    return res.json();
  }

  #failure(res: UpstreamResponse): UpstreamError {
    let detail: string | undefined;
    let message: string | undefined;
    try {
      const body = JSON.parse(res.text()) as { message?: unknown; detail?: unknown };
      if (typeof body.detail === "string") detail = body.detail;
      if (typeof body.message === "string") message = body.message;
    } catch {
      // Not a RouterOS JSON error (a proxy page, an HTML 403): the status line is all there is.
    }
    const base = upstreamFailure(this.#transport.target, res, detail ?? message);
    return new UpstreamError(base.status, base.code, base.message, { upstream_status: res.status, ...(detail !== undefined ? { routeros_detail: detail } : {}) });
  }

  #unexpected(what: string, why: string): ApiError {
    return new ApiError(502, "upstream_error", `${this.#transport.target.label} sent an unexpected ${what}: ${why}`);
  }

  #record(value: unknown, what: string): RosRecord {
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw this.#unexpected(what, "not an object");
    for (const [key, v] of Object.entries(value)) if (typeof v !== "string") throw this.#unexpected(what, `${key} is not a string`);
    return value as RosRecord;
  }

  #records(value: unknown, what: string): RosRecord[] {
    if (!Array.isArray(value)) throw this.#unexpected(what, "not a list");
    return value.map((v) => this.#record(v, what));
  }

  #parse<T>(what: string, field: string, text: string | undefined, parse: (t: string) => T): T {
    if (text === undefined) throw this.#unexpected(what, `${field} is missing`);
    try {
      return parse(text);
    } catch {
      throw this.#unexpected(what, `${field} is ${JSON.stringify(text)}`);
    }
  }

  #optional<T>(what: string, field: string, text: string | undefined, parse: (t: string) => T): T | undefined {
    return text === undefined ? undefined : this.#parse(what, field, text, parse);
  }

  // --- generic ---

  /** `print` of a list menu: GET with `.proplist` and exact filters, or POST `print` when `query` words are given. */
  async print(menu: string, options: PrintOptions): Promise<RosRecord[]> {
    if (options.proplist.length === 0) throw new RangeError("print needs a proplist");
    const where = Object.entries(options.where ?? {});
    if (options.query && options.query.length > 0) {
      const words = [...where.map(([k, v]) => `${k}=${queryText(v)}`), ...options.query];
      const body = { ".proplist": [...options.proplist], ".query": words };
      return this.#records(await this.#send("POST", `${menuPath(menu)}/print`, { body, idempotent: true }), `${menu} list`);
    }
    const query: Record<string, string> = { ".proplist": options.proplist.join(",") };
    for (const [k, v] of where) query[k] = queryText(v);
    return this.#records(await this.#send("GET", menuPath(menu), { query, idempotent: true }), `${menu} list`);
  }

  /** A singleton menu (`system/resource`) or one item (`interface/ether1`). */
  async get(menu: string, proplist: readonly string[]): Promise<RosRecord> {
    if (proplist.length === 0) throw new RangeError("get needs a proplist");
    return this.#record(await this.#send("GET", menuPath(menu), { query: { ".proplist": proplist.join(",") }, idempotent: true }), menu);
  }

  /** `POST /rest/<path>`: any command. Returns RouterOS' JSON as is (a list of records, `{ret}`, or `[]`). */
  async command(path: string, args: Record<string, RosValue> = {}, options: CommandOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) body[k] = wireValue(v);
    if (options.proplist) body[".proplist"] = [...options.proplist];
    return this.#send("POST", menuPath(path), { body, idempotent: options.idempotent ?? false });
  }

  /** PUT add: returns the created record. Never retried (a repeat would add twice). */
  async add(menu: string, values: Record<string, RosValue>): Promise<RosRecord> {
    const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, wireValue(v)]));
    return this.#record(await this.#send("PUT", menuPath(menu), { body, idempotent: false }), `${menu} record`);
  }

  /** PATCH set on an item by `*id` or name: returns the whole record. */
  async set(menu: string, id: string, values: Record<string, RosValue>): Promise<RosRecord> {
    const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, wireValue(v)]));
    return this.#record(await this.#send("PATCH", `${menuPath(menu)}/${encodeURIComponent(id)}`, { body, idempotent: false }), `${menu} record`);
  }

  async remove(menu: string, id: string): Promise<void> {
    await this.#send("DELETE", `${menuPath(menu)}/${encodeURIComponent(id)}`, { idempotent: false });
  }

  // --- typed reads ---

  async systemResource(): Promise<SystemResource> {
    const r = await this.get("system/resource", RESOURCE_FIELDS);
    const what = "system/resource";
    const version = this.#parse(what, "version", r.version, (v) => v);
    const [versionNumber, channel] = /^(\S+)(?:\s+\((\w+)\))?/.exec(version)!.slice(1) as [string, string | undefined];
    const lastConfigChangeAt = r["last-config-change"] === undefined ? undefined : parseRosDate(r["last-config-change"]);
    return {
      version,
      versionNumber,
      ...(channel ? { channel } : {}),
      ...(r["build-time"] !== undefined ? { buildTime: r["build-time"] } : {}),
      uptimeSeconds: this.#parse(what, "uptime", r.uptime, parseRosDuration),
      cpuLoad: this.#parse(what, "cpu-load", r["cpu-load"], parseRosNumber),
      ...optionalNumber("cpuCount", this.#optional(what, "cpu-count", r["cpu-count"], parseRosNumber)),
      freeMemory: this.#parse(what, "free-memory", r["free-memory"], parseRosNumber),
      totalMemory: this.#parse(what, "total-memory", r["total-memory"], parseRosNumber),
      ...optionalNumber("freeHddSpace", this.#optional(what, "free-hdd-space", r["free-hdd-space"], parseRosNumber)),
      ...optionalNumber("totalHddSpace", this.#optional(what, "total-hdd-space", r["total-hdd-space"], parseRosNumber)),
      ...(r["architecture-name"] !== undefined ? { architecture: r["architecture-name"] } : {}),
      boardName: this.#parse(what, "board-name", r["board-name"], (v) => v),
      ...(r.platform !== undefined ? { platform: r.platform } : {}),
      ...(r["last-config-change"] !== undefined ? { lastConfigChange: r["last-config-change"] } : {}),
      ...(lastConfigChangeAt !== undefined ? { lastConfigChangeAt } : {}),
    };
  }

  /** The RouterBOARD facts, or null on CHR/x86 (no such menu there, or `routerboard: false`). */
  async routerboard(): Promise<Routerboard | null> {
    let r: RosRecord;
    try {
      r = await this.get("system/routerboard", ROUTERBOARD_FIELDS);
    } catch (err) {
      const detail = routerosDetail(err);
      if (err instanceof ApiError && err.status === 400 && detail !== undefined && /^no such command( or directory \(routerboard\)| prefix)$/.test(detail)) return null;
      throw err;
    }
    if (r.routerboard !== undefined && !this.#parse("system/routerboard", "routerboard", r.routerboard, parseRosBool)) return null;
    const what = "system/routerboard";
    return {
      ...(r["board-name"] !== undefined ? { boardName: r["board-name"] } : {}),
      model: this.#parse(what, "model", r.model, (v) => v),
      serialNumber: this.#parse(what, "serial-number", r["serial-number"], (v) => v),
      ...(r["firmware-type"] !== undefined ? { firmwareType: r["firmware-type"] } : {}),
      ...(r["factory-firmware"] !== undefined ? { factoryFirmware: r["factory-firmware"] } : {}),
      ...(r["current-firmware"] !== undefined ? { currentFirmware: r["current-firmware"] } : {}),
      ...(r["upgrade-firmware"] !== undefined ? { upgradeFirmware: r["upgrade-firmware"] } : {}),
      firmwareUpgradePending: r["current-firmware"] !== undefined && r["upgrade-firmware"] !== undefined && r["current-firmware"] !== r["upgrade-firmware"],
    };
  }

  async identity(): Promise<string> {
    const r = await this.get("system/identity", ["name"]);
    return this.#parse("system/identity", "name", r.name, (v) => v);
  }

  /** Sensor readings: v7 `{name,value,type}` rows and the v6 flat map come out the same. */
  async health(): Promise<HealthReading[]> {
    const reply = await this.#send("GET", menuPath("system/health"), { query: { ".proplist": HEALTH_FIELDS.join(",") }, idempotent: true });
    if (Array.isArray(reply)) {
      return this.#records(reply, "system/health").flatMap((row) =>
        row.name === undefined || row.value === undefined ? [] : [reading(row.name, row.value, row.type ?? inferUnit(row.name))],
      );
    }
    const flat = this.#record(reply, "system/health");
    return Object.entries(flat).map(([name, value]) => reading(name, value, inferUnit(name)));
  }

  async interfaces(): Promise<InterfaceStats[]> {
    const rows = await this.print("interface", { proplist: INTERFACE_FIELDS });
    const what = "interface";
    const n = (row: RosRecord, key: string) => this.#optional(what, key, row[key], parseRosNumber) ?? 0;
    return rows.map((row) => ({
      id: this.#parse(what, ".id", row[".id"], (v) => v),
      name: this.#parse(what, "name", row.name, (v) => v),
      type: row.type ?? "",
      running: this.#optional(what, "running", row.running, parseRosBool) ?? false,
      disabled: this.#optional(what, "disabled", row.disabled, parseRosBool) ?? false,
      rxByte: n(row, "rx-byte"),
      txByte: n(row, "tx-byte"),
      rxPacket: n(row, "rx-packet"),
      txPacket: n(row, "tx-packet"),
      rxError: n(row, "rx-error"),
      txError: n(row, "tx-error"),
      rxDrop: n(row, "rx-drop"),
      txDrop: n(row, "tx-drop"),
      linkDowns: n(row, "link-downs"),
      ...(row["mac-address"] !== undefined ? { macAddress: row["mac-address"] } : {}),
      mtu: row.mtu === undefined || row.mtu === "auto" ? null : this.#parse(what, "mtu", row.mtu, parseRosNumber),
      ...(row.comment !== undefined ? { comment: row.comment } : {}),
    }));
  }

  /** Instantaneous rates (`monitor-traffic once`) for the named interfaces. */
  async monitorTraffic(names: readonly string[]): Promise<TrafficSample[]> {
    if (names.length === 0) return [];
    const reply = await this.command("interface/monitor-traffic", { interface: names.join(","), once: "" }, { idempotent: true, proplist: TRAFFIC_FIELDS });
    const what = "monitor-traffic sample";
    return this.#records(reply, what).map((row) => ({
      name: this.#parse(what, "name", row.name, (v) => v),
      rxBitsPerSecond: this.#parse(what, "rx-bits-per-second", row["rx-bits-per-second"], parseRosNumber),
      txBitsPerSecond: this.#parse(what, "tx-bits-per-second", row["tx-bits-per-second"], parseRosNumber),
      rxPacketsPerSecond: this.#parse(what, "rx-packets-per-second", row["rx-packets-per-second"], parseRosNumber),
      txPacketsPerSecond: this.#parse(what, "tx-packets-per-second", row["tx-packets-per-second"], parseRosNumber),
    }));
  }

  async ipAddresses(): Promise<IpAddress[]> {
    const what = "ip/address";
    const flag = (row: RosRecord, key: string) => this.#optional(what, key, row[key], parseRosBool) ?? false;
    return (await this.print("ip/address", { proplist: ADDRESS_FIELDS })).map((row) => ({
      id: this.#parse(what, ".id", row[".id"], (v) => v),
      address: this.#parse(what, "address", row.address, (v) => v),
      ...(row.network !== undefined ? { network: row.network } : {}),
      interface: this.#parse(what, "interface", row.interface, (v) => v),
      ...(row["actual-interface"] !== undefined ? { actualInterface: row["actual-interface"] } : {}),
      disabled: flag(row, "disabled"),
      dynamic: flag(row, "dynamic"),
      invalid: flag(row, "invalid"),
      ...(row.comment !== undefined ? { comment: row.comment } : {}),
    }));
  }

  async packageUpdate(): Promise<PackageUpdate> {
    return this.#update(await this.get("system/package/update", UPDATE_FIELDS));
  }

  /** Asks MikroTik for the latest version; the last progress record holds the outcome (`status`). */
  async checkForUpdates(): Promise<PackageUpdate> {
    const progress = this.#records(await this.command("system/package/update/check-for-updates", {}, { idempotent: true }), "check-for-updates progress");
    const last = progress[progress.length - 1];
    if (!last) throw this.#unexpected("check-for-updates reply", "no progress records");
    return this.#update(last);
  }

  #update(r: RosRecord): PackageUpdate {
    const installedVersion = this.#parse("package update", "installed-version", r["installed-version"], (v) => v);
    const latest = r["latest-version"];
    return {
      ...(r.channel !== undefined ? { channel: r.channel } : {}),
      installedVersion,
      ...(latest !== undefined ? { latestVersion: latest } : {}),
      ...(r.status !== undefined ? { status: r.status } : {}),
      updateAvailable: latest !== undefined && latest !== "" && latest !== installedVersion,
    };
  }

  // --- configuration export ---

  /**
   * The export text (raw, as the router wrote it): `export file=…`, then `file/read` in chunks until an empty one,
   * then the file is deleted, also when reading failed (a reading error wins over a deletion error).
   */
  async exportConfig(options: ExportOptions = {}): Promise<string> {
    const name = options.fileName ?? `outpost-export-${crypto.randomUUID().slice(0, 8)}`;
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    await this.command("export", { file: name, ...(options.showSensitive ? { "show-sensitive": "" } : {}) });
    const file = `${name}.rsc`;
    let text: string;
    try {
      text = await this.#readFile(file, chunkSize);
    } catch (err) {
      await this.#deleteFile(file).catch(() => undefined);
      throw err;
    }
    await this.#deleteFile(file);
    return text;
  }

  async #readFile(file: string, chunkSize: number): Promise<string> {
    const chunks: string[] = [];
    let offset = 0;
    const encoder = new TextEncoder();
    for (let i = 0; i < MAX_CHUNKS; i++) {
      let reply: unknown;
      try {
        reply = await this.command("file/read", { file, "chunk-size": chunkSize, offset }, { idempotent: true });
      } catch (err) {
        // Some releases answer the read at the very end with this instead of an empty chunk.
        if (offset > 0 && routerosDetail(err) === "failure: chunk out of file bounds") break;
        throw err;
      }
      const data = this.#records(reply, "file/read chunk")[0]?.data;
      if (data === undefined) throw this.#unexpected("file/read chunk", "no data");
      if (data === "") return chunks.join("");
      chunks.push(data);
      offset += encoder.encode(data).length;
    }
    if (chunks.length >= MAX_CHUNKS) throw this.#unexpected("export", `more than ${MAX_CHUNKS} chunks`);
    return chunks.join("");
  }

  /** Deletes a file by name; one that is already gone (a retried delete) counts as deleted. */
  async #deleteFile(file: string): Promise<void> {
    try {
      await this.#send("DELETE", `${menuPath("file")}/${encodeURIComponent(file)}`, { idempotent: true });
    } catch (err) {
      const gone = err instanceof ApiError && (err.status === 404 || routerosDetail(err) === `no such command or directory (${file})`);
      if (!gone) throw err;
    }
  }
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function inferUnit(name: string): string {
  if (name.includes("temperature")) return "C";
  if (name.includes("voltage")) return "V";
  if (name.includes("current")) return "A";
  if (name.includes("power")) return "W";
  if (name.includes("speed")) return "RPM";
  return "";
}

function reading(name: string, value: string, type: string): HealthReading {
  const numeric = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : null;
  return { name, value, numeric, type };
}

/** The CPU temperature, falling back to the board's (spec §1.2); undefined when the router has no sensor. */
export function cpuTemperature(readings: readonly HealthReading[]): number | undefined {
  for (const name of ["cpu-temperature", "board-temperature1", "temperature", "board-temperature"]) {
    const found = readings.find((r) => r.name === name && r.numeric !== null);
    if (found) return found.numeric!;
  }
  return undefined;
}
