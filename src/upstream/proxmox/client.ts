/**
 * Typed Proxmox VE client over `Transport`. Authenticates with an API token header, or with a ticket (login via
 * `/access/ticket`, `PVEAuthCookie` plus `CSRFPreventionToken` on writes, renewed before it expires and re-obtained
 * once on a 401). Writes are form-encoded with booleans as `1`/`0`; reads put parameters in the query. Only GET
 * and PUT are marked idempotent, so the transport never repeats a create, a power action or a delete.
 */
import { z } from "zod";
import { ApiError } from "../../errors";
import type { ProxmoxCredentials } from "../credentials";
import { type Transport, UpstreamError, type UpstreamResponse, upstreamFailure } from "../transport";
import {
  AclEntrySchema,
  BackupJobSchema,
  ClusterResourceSchema,
  ClusterStatusEntrySchema,
  GuestConfigSchema,
  GuestStatusSchema,
  HaResourceSchema,
  LxcListEntrySchema,
  NetworkInterfaceSchema,
  NodeListEntrySchema,
  NodeStatusSchema,
  PermissionsSchema,
  PoolSchema,
  QemuListEntrySchema,
  ReplicationJobSchema,
  RoleSchema,
  SnapshotSchema,
  StorageContentSchema,
  StorageEntrySchema,
  StorageStatusSchema,
  TaskListEntrySchema,
  TaskLogLineSchema,
  TaskStatusSchema,
  TicketSchema,
  TokenCreatedSchema,
  TokenInfoSchema,
  TokenListEntrySchema,
  UserSchema,
  VersionSchema,
  type TaskStatus,
} from "./schemas";

type Value = string | number | boolean | undefined | null | ReadonlyArray<string | number>;
export type PveParams = Record<string, Value>;
type Method = "GET" | "POST" | "PUT" | "DELETE";

export type GuestKind = "qemu" | "lxc";

export interface ProxmoxClientOptions {
  /** Clock for ticket age (ms); defaults to `Date.now`. */
  now?: () => number;
  /** How `waitForTask` waits between polls; defaults to `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

/** Parameters of `POST /nodes/{node}/qemu` (indexed keys: `net0`, `ipconfig0`, `scsi0`, `ide2`, …). */
export interface QemuCreateParams {
  vmid: number;
  name?: string;
  /** MiB, or the property string `current=<MiB>`. */
  memory?: number | string;
  balloon?: number;
  cores?: number;
  sockets?: number;
  cpu?: string;
  ostype?: "other" | "wxp" | "w2k" | "w2k3" | "w2k8" | "wvista" | "win7" | "win8" | "win10" | "win11" | "l24" | "l26" | "solaris";
  scsihw?: "lsi" | "lsi53c810" | "virtio-scsi-pci" | "virtio-scsi-single" | "megasas" | "pvscsi";
  bios?: "seabios" | "ovmf";
  boot?: string;
  agent?: string;
  onboot?: boolean;
  start?: boolean;
  tags?: string;
  pool?: string;
  storage?: string;
  description?: string;
  ciuser?: string;
  cipassword?: string;
  /** Plain public keys; the client URL-encodes them as PVE requires. */
  sshkeys?: string;
  nameserver?: string;
  searchdomain?: string;
  template?: boolean;
  archive?: string;
  force?: boolean;
  unique?: boolean;
  [key: `net${number}`]: string | undefined;
  [key: `ipconfig${number}`]: string | undefined;
  [key: `scsi${number}`]: string | undefined;
  [key: `virtio${number}`]: string | undefined;
  [key: `sata${number}`]: string | undefined;
  [key: `ide${number}`]: string | undefined;
  efidisk0?: string;
  tpmstate0?: string;
}

export type QemuConfigUpdate = Partial<Omit<QemuCreateParams, "vmid" | "archive" | "force" | "unique" | "start" | "pool" | "storage">> & {
  delete?: string[];
  digest?: string;
  skiplock?: boolean;
};

/** Parameters of `POST /nodes/{node}/lxc` (indexed keys: `net0`, `mp0`, …). */
export interface LxcCreateParams {
  vmid: number;
  ostemplate: string;
  hostname?: string;
  memory?: number;
  swap?: number;
  cores?: number;
  cpulimit?: number;
  /** `STORAGE:SIZE_GiB` for a new volume. */
  rootfs?: string;
  storage?: string;
  password?: string;
  "ssh-public-keys"?: string;
  unprivileged?: boolean;
  features?: string;
  nameserver?: string;
  searchdomain?: string;
  onboot?: boolean;
  start?: boolean;
  pool?: string;
  tags?: string;
  ostype?: string;
  description?: string;
  restore?: boolean;
  force?: boolean;
  unique?: boolean;
  [key: `net${number}`]: string | undefined;
  [key: `mp${number}`]: string | undefined;
}

export type LxcConfigUpdate = Partial<Omit<LxcCreateParams, "vmid" | "ostemplate" | "password" | "ssh-public-keys" | "storage" | "start" | "pool" | "restore" | "force" | "unique">> & {
  delete?: string[];
  digest?: string;
};

export interface TaskFilters {
  source?: "archive" | "active" | "all";
  vmid?: number;
  typefilter?: string;
  statusfilter?: string;
  userfilter?: string;
  errors?: boolean;
  since?: number;
  until?: number;
  start?: number;
  limit?: number;
}

export interface VzdumpParams {
  vmid?: number | number[];
  all?: boolean;
  exclude?: number[];
  pool?: string;
  storage?: string;
  mode?: "snapshot" | "suspend" | "stop";
  compress?: "0" | "1" | "gzip" | "lzo" | "zstd";
  "notes-template"?: string;
  protected?: boolean;
  "prune-backups"?: string;
  remove?: boolean;
  bwlimit?: number;
}

export interface BackupJobParams extends Omit<VzdumpParams, "vmid"> {
  id?: string;
  vmid?: number[];
  schedule?: string;
  enabled?: boolean;
  comment?: string;
  "repeat-missed"?: boolean;
}

export interface ReplicationJobParams {
  schedule?: string;
  rate?: number;
  comment?: string;
  disable?: boolean;
}

export interface AclUpdate {
  path: string;
  roles: string[];
  users?: string[];
  groups?: string[];
  tokens?: string[];
  propagate?: boolean;
  delete?: boolean;
}

const TICKET_RENEW_MS = 90 * 60_000;
const TICKET_LIFETIME_MS = 2 * 60 * 60_000;
const API = "/api2/json";

const seg = (v: string | number) => encodeURIComponent(String(v));

/** Joins list values the way PVE's `-list` formats expect. */
const list = (v: ReadonlyArray<string | number> | undefined) => (v === undefined ? undefined : v.join(","));

interface Ticket {
  ticket: string;
  csrf: string;
  username: string;
  obtainedAt: number;
}

export class ProxmoxClient {
  readonly #transport: Transport;
  readonly #credentials: ProxmoxCredentials;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #ticket: Ticket | undefined;

  constructor(transport: Transport, credentials: ProxmoxCredentials, options: ProxmoxClientOptions = {}) {
    this.#transport = transport;
    this.#credentials = credentials;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  // --- plumbing ---

  async #send(method: Method, path: string, params: PveParams, auth: Record<string, string>): Promise<UpstreamResponse> {
    const clean: Record<string, string | number | ReadonlyArray<string | number>> = {};
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null) continue;
      clean[k] = typeof v === "boolean" ? (v ? 1 : 0) : v;
    }
    const read = method === "GET" || method === "DELETE";
    let body: URLSearchParams | undefined;
    if (!read) {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(clean)) {
        if (Array.isArray(v)) for (const item of v) body.append(k, String(item));
        else body.append(k, String(v));
      }
    }
    return this.#transport.request({
      method,
      path: API + path,
      ...(read ? { query: clean } : { body: body! }),
      headers: auth,
      idempotent: method === "GET" || method === "PUT",
    });
  }

  async #authHeaders(method: Method): Promise<Record<string, string>> {
    const c = this.#credentials;
    if (c.type === "token") return { Authorization: `PVEAPIToken=${c.token_id}=${c.secret}` };
    const t = await this.#validTicket();
    const headers: Record<string, string> = { Cookie: `PVEAuthCookie=${encodeURIComponent(t.ticket)}` };
    if (method !== "GET") headers.CSRFPreventionToken = t.csrf;
    return headers;
  }

  /** Calls an endpoint and returns `{data, total}` validated by `schema`. */
  async #call<S extends z.ZodType>(method: Method, path: string, params: PveParams, schema: S): Promise<{ data: z.output<S>; total?: number }> {
    let res = await this.#send(method, path, params, await this.#authHeaders(method));
    if (res.status === 401 && this.#credentials.type === "password") {
      this.#ticket = undefined;
      res = await this.#send(method, path, params, await this.#authHeaders(method));
    }
    return this.#parse(res, schema);
  }

  #parse<S extends z.ZodType>(res: UpstreamResponse, schema: S): { data: z.output<S>; total?: number } {
    const target = this.#transport.target;
    if (!res.ok) throw this.#failure(res);
    const body = res.json<{ data?: unknown; total?: unknown }>();
    const parsed = schema.safeParse(body.data);
    if (!parsed.success) {
      throw new UpstreamError(502, "upstream_error", `${target.label} answered with an unexpected shape`, {
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      });
    }
    return { data: parsed.data, ...(body.total === undefined ? {} : { total: Number(body.total) }) };
  }

  /** PVE's message (and per-parameter `errors`) in the error; 401s carry their reason only in the status text. */
  #failure(res: UpstreamResponse): UpstreamError {
    let message = res.statusText.trim() || `HTTP ${res.status}`;
    let errors: Record<string, string> | undefined;
    const text = res.text();
    if (text.trim() !== "") {
      try {
        const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
        if (typeof body.message === "string" && body.message.trim() !== "") message = body.message.trim();
        if (body.errors && typeof body.errors === "object") {
          errors = Object.fromEntries(Object.entries(body.errors as Record<string, unknown>).map(([k, v]) => [k, String(v).trim()]));
          message += ` ${Object.entries(errors)
            .map(([k, v]) => `${k}: ${v.replaceAll("\n", " ")}`)
            .join("; ")}`;
        }
      } catch {
        // A non-JSON error body (a proxy in between) keeps the status text.
      }
    }
    const base = upstreamFailure(this.#transport.target, res, message);
    const details = { ...(base.details as Record<string, unknown>), ...(errors ? { errors } : {}) };
    return new UpstreamError(base.status, base.code, base.message, details);
  }

  async #validTicket(): Promise<Ticket> {
    const t = this.#ticket;
    const age = t ? this.#now() - t.obtainedAt : Number.POSITIVE_INFINITY;
    if (t && age < TICKET_RENEW_MS) return t;
    if (t && age < TICKET_LIFETIME_MS) {
      try {
        return await this.#obtainTicket(t.username, t.ticket);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
      }
    }
    return this.#login();
  }

  async #obtainTicket(username: string, password: string): Promise<Ticket> {
    const res = await this.#send("POST", "/access/ticket", { username, password }, {});
    const { data } = this.#parse(res, TicketSchema);
    this.#ticket = { ticket: data.ticket, csrf: data.CSRFPreventionToken, username: data.username, obtainedAt: this.#now() };
    return this.#ticket;
  }

  // --- authentication ---

  async #login(): Promise<Ticket> {
    const c = this.#credentials;
    if (c.type !== "password") throw new ApiError(400, "bad_request", "API token credentials do not log in; they are sent with every request");
    return this.#obtainTicket(c.username, c.password);
  }

  /** Logs in with the password credentials now (calls do it on their own when needed). */
  async login(): Promise<{ username: string }> {
    return { username: (await this.#login()).username };
  }

  // --- cluster and nodes ---

  async version() {
    return (await this.#call("GET", "/version", {}, VersionSchema)).data;
  }

  async clusterStatus() {
    return (await this.#call("GET", "/cluster/status", {}, z.array(ClusterStatusEntrySchema))).data;
  }

  async clusterResources(type?: "vm" | "storage" | "node" | "sdn") {
    return (await this.#call("GET", "/cluster/resources", { type }, z.array(ClusterResourceSchema))).data;
  }

  /** The next free VMID, or confirms `vmid` is free (PVE answers 400 when it is taken). */
  async nextId(vmid?: number): Promise<number> {
    return (await this.#call("GET", "/cluster/nextid", { vmid }, z.coerce.number().int())).data;
  }

  async nodes() {
    return (await this.#call("GET", "/nodes", {}, z.array(NodeListEntrySchema))).data;
  }

  async nodeStatus(node: string) {
    return (await this.#call("GET", `/nodes/${seg(node)}/status`, {}, NodeStatusSchema)).data;
  }

  async network(node: string, type?: "bridge" | "bond" | "eth" | "vlan" | "any_bridge" | "any_local_bridge" | "include_sdn") {
    return (await this.#call("GET", `/nodes/${seg(node)}/network`, { type }, z.array(NetworkInterfaceSchema))).data;
  }

  // --- QEMU ---

  async listQemu(node: string, options: { full?: boolean } = {}) {
    return (await this.#call("GET", `/nodes/${seg(node)}/qemu`, { ...options }, z.array(QemuListEntrySchema))).data;
  }

  async qemuConfig(node: string, vmid: number, options: { current?: boolean; snapshot?: string } = {}) {
    return (await this.#call("GET", `/nodes/${seg(node)}/qemu/${vmid}/config`, { ...options }, GuestConfigSchema)).data;
  }

  async qemuStatus(node: string, vmid: number) {
    return (await this.#call("GET", `/nodes/${seg(node)}/qemu/${vmid}/status/current`, {}, GuestStatusSchema)).data;
  }

  /** Creates (or with `archive` restores) a VM; returns the task UPID. */
  async createQemu(node: string, params: QemuCreateParams): Promise<string> {
    const { sshkeys, ...rest } = params;
    const body: PveParams = { ...rest, sshkeys: sshkeys === undefined ? undefined : encodeURIComponent(sshkeys) };
    return (await this.#call("POST", `/nodes/${seg(node)}/qemu`, body, z.string())).data;
  }

  /** `PUT …/config`: applied synchronously. */
  async updateQemuConfig(node: string, vmid: number, params: QemuConfigUpdate): Promise<void> {
    await this.#call("PUT", `/nodes/${seg(node)}/qemu/${vmid}/config`, this.#configBody(params), z.null());
  }

  /** `POST …/config`: applied by a task; returns its UPID (or null when PVE finished it within the delay). */
  async updateQemuConfigAsync(node: string, vmid: number, params: QemuConfigUpdate): Promise<string | null> {
    return (await this.#call("POST", `/nodes/${seg(node)}/qemu/${vmid}/config`, this.#configBody(params), z.string().nullable())).data;
  }

  #configBody(params: QemuConfigUpdate | LxcConfigUpdate): PveParams {
    const { delete: del, ...rest } = params as PveParams & { delete?: string[]; sshkeys?: string };
    const body: PveParams = { ...rest, delete: list(del) };
    if (typeof rest.sshkeys === "string") body.sshkeys = encodeURIComponent(rest.sshkeys);
    return body;
  }

  async startQemu(node: string, vmid: number, options: { timeout?: number; skiplock?: boolean } = {}): Promise<string> {
    return this.#power(node, "qemu", vmid, "start", options);
  }

  async stopQemu(node: string, vmid: number, options: { timeout?: number; keepActive?: boolean; skiplock?: boolean; "overrule-shutdown"?: boolean } = {}): Promise<string> {
    return this.#power(node, "qemu", vmid, "stop", options);
  }

  async shutdownQemu(node: string, vmid: number, options: { timeout?: number; forceStop?: boolean; keepActive?: boolean } = {}): Promise<string> {
    return this.#power(node, "qemu", vmid, "shutdown", options);
  }

  async rebootQemu(node: string, vmid: number, options: { timeout?: number } = {}): Promise<string> {
    return this.#power(node, "qemu", vmid, "reboot", options);
  }

  async resetQemu(node: string, vmid: number, options: { skiplock?: boolean } = {}): Promise<string> {
    return this.#power(node, "qemu", vmid, "reset", options);
  }

  async deleteQemu(node: string, vmid: number, options: { purge?: boolean; "destroy-unreferenced-disks"?: boolean; skiplock?: boolean } = {}): Promise<string> {
    return (await this.#call("DELETE", `/nodes/${seg(node)}/qemu/${vmid}`, { ...options }, z.string())).data;
  }

  async cloneQemu(
    node: string,
    vmid: number,
    params: { newid: number; name?: string; full?: boolean; target?: string; storage?: string; pool?: string; snapname?: string; description?: string },
  ): Promise<string> {
    return (await this.#call("POST", `/nodes/${seg(node)}/qemu/${vmid}/clone`, { ...params }, z.string())).data;
  }

  async #power(node: string, kind: GuestKind, vmid: number, action: string, options: PveParams): Promise<string> {
    return (await this.#call("POST", `/nodes/${seg(node)}/${kind}/${vmid}/status/${action}`, options, z.string())).data;
  }

  // --- LXC ---

  async listLxc(node: string) {
    return (await this.#call("GET", `/nodes/${seg(node)}/lxc`, {}, z.array(LxcListEntrySchema))).data;
  }

  async lxcConfig(node: string, vmid: number, options: { current?: boolean; snapshot?: string } = {}) {
    return (await this.#call("GET", `/nodes/${seg(node)}/lxc/${vmid}/config`, { ...options }, GuestConfigSchema)).data;
  }

  async lxcStatus(node: string, vmid: number) {
    return (await this.#call("GET", `/nodes/${seg(node)}/lxc/${vmid}/status/current`, {}, GuestStatusSchema)).data;
  }

  async createLxc(node: string, params: LxcCreateParams): Promise<string> {
    return (await this.#call("POST", `/nodes/${seg(node)}/lxc`, { ...params }, z.string())).data;
  }

  async updateLxcConfig(node: string, vmid: number, params: LxcConfigUpdate): Promise<void> {
    await this.#call("PUT", `/nodes/${seg(node)}/lxc/${vmid}/config`, this.#configBody(params), z.null());
  }

  async startLxc(node: string, vmid: number, options: { skiplock?: boolean } = {}): Promise<string> {
    return this.#power(node, "lxc", vmid, "start", options);
  }

  async stopLxc(node: string, vmid: number, options: { skiplock?: boolean; "overrule-shutdown"?: boolean } = {}): Promise<string> {
    return this.#power(node, "lxc", vmid, "stop", options);
  }

  async shutdownLxc(node: string, vmid: number, options: { timeout?: number; forceStop?: boolean } = {}): Promise<string> {
    return this.#power(node, "lxc", vmid, "shutdown", options);
  }

  async rebootLxc(node: string, vmid: number, options: { timeout?: number } = {}): Promise<string> {
    return this.#power(node, "lxc", vmid, "reboot", options);
  }

  /** Destroys a container; `force` stops a running one first. */
  async deleteLxc(node: string, vmid: number, options: { purge?: boolean; force?: boolean; "destroy-unreferenced-disks"?: boolean } = {}): Promise<string> {
    return (await this.#call("DELETE", `/nodes/${seg(node)}/lxc/${vmid}`, { ...options }, z.string())).data;
  }

  // --- snapshots (both kinds) ---

  async listSnapshots(node: string, kind: GuestKind, vmid: number) {
    return (await this.#call("GET", `/nodes/${seg(node)}/${kind}/${vmid}/snapshot`, {}, z.array(SnapshotSchema))).data;
  }

  async createSnapshot(node: string, kind: GuestKind, vmid: number, params: { snapname: string; description?: string; vmstate?: boolean }): Promise<string> {
    if (kind === "lxc" && params.vmstate !== undefined) throw new ApiError(400, "bad_request", "containers have no vmstate snapshots");
    return (await this.#call("POST", `/nodes/${seg(node)}/${kind}/${vmid}/snapshot`, { ...params }, z.string())).data;
  }

  async deleteSnapshot(node: string, kind: GuestKind, vmid: number, snapname: string, options: { force?: boolean } = {}): Promise<string> {
    return (await this.#call("DELETE", `/nodes/${seg(node)}/${kind}/${vmid}/snapshot/${seg(snapname)}`, { ...options }, z.string())).data;
  }

  async rollbackSnapshot(node: string, kind: GuestKind, vmid: number, snapname: string, options: { start?: boolean } = {}): Promise<string> {
    return (await this.#call("POST", `/nodes/${seg(node)}/${kind}/${vmid}/snapshot/${seg(snapname)}/rollback`, { ...options }, z.string())).data;
  }

  // --- backups and storage ---

  async vzdump(node: string, params: VzdumpParams): Promise<string> {
    const { vmid, exclude, ...rest } = params;
    const body: PveParams = { ...rest, vmid: Array.isArray(vmid) ? list(vmid) : vmid, exclude: list(exclude) };
    return (await this.#call("POST", `/nodes/${seg(node)}/vzdump`, body, z.string())).data;
  }

  async listStorage(node: string, options: { content?: string[]; enabled?: boolean; storage?: string } = {}) {
    const params = { ...options, content: list(options.content) };
    return (await this.#call("GET", `/nodes/${seg(node)}/storage`, params, z.array(StorageEntrySchema))).data;
  }

  async storageContent(node: string, storage: string, options: { content?: "images" | "rootdir" | "iso" | "vztmpl" | "backup" | "snippets" | "import"; vmid?: number } = {}) {
    return (await this.#call("GET", `/nodes/${seg(node)}/storage/${seg(storage)}/content`, { ...options }, z.array(StorageContentSchema))).data;
  }

  async storageStatus(node: string, storage: string) {
    return (await this.#call("GET", `/nodes/${seg(node)}/storage/${seg(storage)}/status`, {}, StorageStatusSchema)).data;
  }

  // --- tasks ---

  async listTasks(node: string, filters: TaskFilters = {}) {
    const { data, total } = await this.#call("GET", `/nodes/${seg(node)}/tasks`, { ...filters }, z.array(TaskListEntrySchema));
    return { tasks: data, total: total ?? data.length };
  }

  async taskStatus(node: string, upid: string) {
    return (await this.#call("GET", `/nodes/${seg(node)}/tasks/${seg(upid)}/status`, {}, TaskStatusSchema)).data;
  }

  async taskLog(node: string, upid: string, options: { start?: number; limit?: number } = {}) {
    const { data, total } = await this.#call("GET", `/nodes/${seg(node)}/tasks/${seg(upid)}/log`, { ...options }, z.array(TaskLogLineSchema));
    return { lines: data, total: total ?? data.length };
  }

  async stopTask(node: string, upid: string): Promise<void> {
    await this.#call("DELETE", `/nodes/${seg(node)}/tasks/${seg(upid)}`, {}, z.null());
  }

  /**
   * Polls a task until it stops. `OK` and `WARNINGS: n` resolve with the final status; any other exit status
   * (the error PVE recorded) rejects, as does a task still running after `timeoutMs`.
   */
  async waitForTask(node: string, upid: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<TaskStatus> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const pollMs = options.pollMs ?? 1_000;
    const label = this.#transport.target.label;
    let waited = 0;
    for (;;) {
      const status = await this.taskStatus(node, upid);
      if (status.status === "stopped") {
        const exit = status.exitstatus ?? "unexpected status";
        if (exit === "OK" || /^WARNINGS: \d+$/.test(exit)) return status;
        throw new UpstreamError(502, "upstream_error", `${label} task ${status.type} ${status.id} failed: ${exit}`, { upid, exitstatus: exit });
      }
      if (waited >= timeoutMs) throw new UpstreamError(504, "upstream_timeout", `${label} task ${upid} did not finish within ${timeoutMs} ms`, { upid });
      await this.#sleep(pollMs);
      waited += pollMs;
    }
  }

  // --- cluster jobs, pools, HA ---

  async listBackupJobs() {
    return (await this.#call("GET", "/cluster/backup", {}, z.array(BackupJobSchema))).data;
  }

  async getBackupJob(id: string) {
    return (await this.#call("GET", `/cluster/backup/${seg(id)}`, {}, BackupJobSchema)).data;
  }

  async createBackupJob(params: BackupJobParams): Promise<void> {
    await this.#call("POST", "/cluster/backup", this.#backupBody(params), z.null());
  }

  async updateBackupJob(id: string, params: Omit<BackupJobParams, "id"> & { delete?: string[] }): Promise<void> {
    const { delete: del, ...rest } = params;
    await this.#call("PUT", `/cluster/backup/${seg(id)}`, { ...this.#backupBody(rest), delete: list(del) }, z.null());
  }

  async deleteBackupJob(id: string): Promise<void> {
    await this.#call("DELETE", `/cluster/backup/${seg(id)}`, {}, z.null());
  }

  #backupBody(params: BackupJobParams): PveParams {
    const { vmid, exclude, ...rest } = params;
    return { ...rest, vmid: list(vmid), exclude: list(exclude) };
  }

  async listReplicationJobs() {
    return (await this.#call("GET", "/cluster/replication", {}, z.array(ReplicationJobSchema))).data;
  }

  async getReplicationJob(id: string) {
    return (await this.#call("GET", `/cluster/replication/${seg(id)}`, {}, ReplicationJobSchema)).data;
  }

  /** `id` is `<vmid>-<jobnum>`; replication is to another node of the cluster. */
  async createReplicationJob(params: ReplicationJobParams & { id: string; target: string }): Promise<void> {
    await this.#call("POST", "/cluster/replication", { ...params, type: "local" }, z.null());
  }

  async updateReplicationJob(id: string, params: ReplicationJobParams & { delete?: string[] }): Promise<void> {
    const { delete: del, ...rest } = params;
    await this.#call("PUT", `/cluster/replication/${seg(id)}`, { ...rest, delete: list(del) }, z.null());
  }

  async deleteReplicationJob(id: string, options: { keep?: boolean; force?: boolean } = {}): Promise<void> {
    await this.#call("DELETE", `/cluster/replication/${seg(id)}`, { ...options }, z.null());
  }

  async listPools(options: { poolid?: string; type?: "qemu" | "lxc" | "storage" } = {}) {
    return (await this.#call("GET", "/pools", { ...options }, z.array(PoolSchema))).data;
  }

  async createPool(poolid: string, comment?: string): Promise<void> {
    await this.#call("POST", "/pools", { poolid, comment }, z.null());
  }

  async listHaResources(type?: "vm" | "ct") {
    return (await this.#call("GET", "/cluster/ha/resources", { type }, z.array(HaResourceSchema))).data;
  }

  async createHaResource(params: { sid: string; state?: "started" | "stopped" | "enabled" | "disabled" | "ignored"; max_restart?: number; max_relocate?: number; comment?: string }): Promise<void> {
    await this.#call("POST", "/cluster/ha/resources", { ...params }, z.null());
  }

  // --- access control ---

  async listUsers(options: { enabled?: boolean; full?: boolean } = {}) {
    return (await this.#call("GET", "/access/users", { ...options }, z.array(UserSchema))).data;
  }

  async createUser(params: { userid: string; password?: string; comment?: string; email?: string; firstname?: string; lastname?: string; groups?: string[]; enable?: boolean; expire?: number }): Promise<void> {
    await this.#call("POST", "/access/users", { ...params, groups: list(params.groups) }, z.null());
  }

  async listTokens(userid: string) {
    return (await this.#call("GET", `/access/users/${seg(userid)}/token`, {}, z.array(TokenListEntrySchema))).data;
  }

  async getToken(userid: string, tokenid: string) {
    return (await this.#call("GET", `/access/users/${seg(userid)}/token/${seg(tokenid)}`, {}, TokenInfoSchema)).data;
  }

  /** Creates an API token; the secret (`value`) is returned only this once. */
  async createToken(userid: string, tokenid: string, options: { privsep?: boolean; expire?: number; comment?: string } = {}) {
    return (await this.#call("POST", `/access/users/${seg(userid)}/token/${seg(tokenid)}`, { ...options }, TokenCreatedSchema)).data;
  }

  async updateToken(userid: string, tokenid: string, options: { privsep?: boolean; expire?: number; comment?: string; delete?: string[] }) {
    const { delete: del, ...rest } = options;
    return (await this.#call("PUT", `/access/users/${seg(userid)}/token/${seg(tokenid)}`, { ...rest, delete: list(del) }, TokenInfoSchema)).data;
  }

  async deleteToken(userid: string, tokenid: string): Promise<void> {
    await this.#call("DELETE", `/access/users/${seg(userid)}/token/${seg(tokenid)}`, {}, z.null());
  }

  async getAcl() {
    return (await this.#call("GET", "/access/acl", {}, z.array(AclEntrySchema))).data;
  }

  async updateAcl(update: AclUpdate): Promise<void> {
    const body: PveParams = {
      path: update.path,
      roles: list(update.roles),
      users: list(update.users),
      groups: list(update.groups),
      tokens: list(update.tokens),
      propagate: update.propagate,
      delete: update.delete,
    };
    await this.#call("PUT", "/access/acl", body, z.null());
  }

  async listRoles() {
    return (await this.#call("GET", "/access/roles", {}, z.array(RoleSchema))).data;
  }

  async createRole(roleid: string, privs: string[]): Promise<void> {
    await this.#call("POST", "/access/roles", { roleid, privs: list(privs) }, z.null());
  }

  /** Effective privileges (`path → priv → propagate`) of the caller, or of `userid` (a user or token ID). */
  async permissions(options: { path?: string; userid?: string } = {}) {
    return (await this.#call("GET", "/access/permissions", { ...options }, PermissionsSchema)).data;
  }
}
