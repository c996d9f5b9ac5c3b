/**
 * Users, API tokens, ACLs, roles and tickets, with PVE's permission semantics (`RPCEnvironment::permissions`):
 * along the path, the deepest level with a matching ACL wins (parents only when they propagate), user ACLs beat
 * group ACLs at the same level, a VM also gets its pool's rights, and a privsep token's rights are the
 * intersection of its own ACLs with its user's.
 */
import { BUILTIN_ROLES, ALL_PRIVILEGES } from "./roles";
import type { Rng } from "../common/rng";

export interface TokenRecord {
  privsep: boolean;
  expire: number;
  comment?: string;
  secret: string;
}

export interface UserRecord {
  userid: string;
  enable: boolean;
  expire: number;
  comment?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  groups: string[];
  password?: string;
  tokens: Map<string, TokenRecord>;
}

export interface AclEntry {
  path: string;
  type: "user" | "group" | "token";
  ugid: string;
  roleid: string;
  propagate: boolean;
}

export interface Role {
  privs: Set<string>;
  special: boolean;
}

/** Who a request runs as: `authid` is the user id or the full token id (`user@realm!name`). */
export interface AuthInfo {
  authid: string;
  userid: string;
  token?: string;
  viaTicket: boolean;
}

/** The ACL paths `check_path` accepts (pve-access-control 9). */
const ACL_PATH_RE = new RegExp(
  "^(?:/|/access|/access/groups|/access/groups/[\\w.-]+|/access/realm|/access/realm/[\\w.-]+" +
    "|/mapping|/mapping/[\\w.-]+|/mapping/[\\w.-]+/[\\w.-]+|/nodes|/nodes/[\\w.-]+" +
    "|/pool|/pool/[\\w.-]+(?:/[\\w.-]+)*|/sdn|/sdn/controllers|/sdn/controllers/[\\w-]+|/sdn/dns|/sdn/dns/[A-Za-z0-9]+" +
    "|/sdn/ipams|/sdn/ipams/[A-Za-z0-9]+|/sdn/zones|/sdn/zones/[A-Za-z0-9]+|/sdn/zones/[A-Za-z0-9]+/[\\w.-]+" +
    "|/sdn/zones/[A-Za-z0-9]+/[\\w.-]+/[1-9][0-9]{0,3}|/sdn/fabrics|/sdn/fabrics/[\\w.-]+" +
    "|/storage|/storage/[\\w.-]+|/vms|/vms/[1-9][0-9]{2,})$",
);

export function isValidAclPath(path: string): boolean {
  return ACL_PATH_RE.test(path);
}

/** `normalize_path`: one leading slash, no doubled or trailing slashes. */
export function normalizeAclPath(path: string): string {
  let p = `/${path}`.replace(/\/+/g, "/").replace(/\/$/, "");
  if (p === "") p = "/";
  return p;
}

export function splitTokenId(authid: string): { userid: string; token?: string } {
  const bang = authid.indexOf("!");
  return bang < 0 ? { userid: authid } : { userid: authid.slice(0, bang), token: authid.slice(bang + 1) };
}

const TICKET_LIFETIME_S = 7200;

/** root@pam's privileges: every privilege, propagating (shared, never mutated). */
const ROOT_PRIVS: ReadonlyMap<string, boolean> = new Map([...ALL_PRIVILEGES].map((p) => [p, true]));

type PrivMap = Map<string, boolean>;

export class AccessControl {
  readonly users = new Map<string, UserRecord>();
  readonly roles = new Map<string, Role>();
  private readonly acl = new Map<string, AclEntry[]>();
  private readonly tickets = new Map<string, { userid: string; issued: number }>();
  private readonly csrfTokens = new Map<string, string>();

  constructor(
    private readonly rng: Rng,
    private readonly nowSeconds: () => number,
    private readonly poolOfVm: (vmid: number) => string | undefined,
  ) {
    for (const [roleid, privs] of BUILTIN_ROLES) this.roles.set(roleid, { privs: new Set(privs), special: true });
  }

  addUser(userid: string, fields: Partial<Omit<UserRecord, "userid" | "tokens">> = {}): UserRecord {
    const user: UserRecord = { userid, enable: true, expire: 0, groups: [], tokens: new Map(), ...fields };
    this.users.set(userid, user);
    return user;
  }

  addToken(userid: string, tokenid: string, fields: { privsep?: boolean; expire?: number; comment?: string } = {}): TokenRecord {
    const user = this.users.get(userid);
    if (!user) throw new Error(`no user ${userid}`);
    const token: TokenRecord = { privsep: fields.privsep ?? true, expire: fields.expire ?? 0, secret: this.rng.uuid(), ...(fields.comment ? { comment: fields.comment } : {}) };
    user.tokens.set(tokenid, token);
    return token;
  }

  /** Adds or removes one ACL entry (same key: path, type, ugid, role). */
  setAcl(entry: AclEntry, remove = false): void {
    const list = (this.acl.get(entry.path) ?? []).filter((e) => !(e.type === entry.type && e.ugid === entry.ugid && e.roleid === entry.roleid));
    if (!remove) list.push(entry);
    if (list.length > 0) this.acl.set(entry.path, list);
    else this.acl.delete(entry.path);
  }

  /** Convenience for scenarios and tests: grant `roleid` on `path` to a user, group or token. */
  grant(path: string, roleid: string, who: { user?: string; group?: string; token?: string }, propagate = true): void {
    const type = who.user ? "user" : who.group ? "group" : "token";
    const ugid = who.user ?? who.group ?? who.token!;
    this.setAcl({ path, type, ugid, roleid, propagate });
  }

  aclEntries(): AclEntry[] {
    return [...this.acl.values()].flat();
  }

  aclPaths(): string[] {
    return [...this.acl.keys()];
  }

  /** Removes every ACL entry on `/vms/<vmid>` (what destroying a guest does). */
  removeVmAcls(vmid: number): void {
    this.acl.delete(`/vms/${vmid}`);
  }

  // --- authentication ---

  verifyToken(tokenid: string, secret: string): AuthInfo | undefined {
    const { userid, token } = splitTokenId(tokenid);
    if (!token) return undefined;
    const user = this.users.get(userid);
    if (!user || !this.userActive(user)) return undefined;
    const t = user.tokens.get(token);
    if (!t || t.secret !== secret) return undefined;
    if (t.expire && t.expire < this.nowSeconds()) return undefined;
    return { authid: tokenid, userid, token, viaTicket: false };
  }

  checkPassword(userid: string, password: string): boolean {
    const user = this.users.get(userid);
    return !!user && this.userActive(user) && user.password !== undefined && user.password === password;
  }

  private userActive(user: UserRecord): boolean {
    return user.enable && !(user.expire && user.expire < this.nowSeconds());
  }

  issueTicket(userid: string): { ticket: string; csrf: string } {
    const ts = this.nowSeconds().toString(16).toUpperCase().padStart(8, "0");
    const ticket = `PVE:${userid}:${ts}::${base64(this.rng, 256)}`;
    const csrf = `${ts}:${base64(this.rng, 32).replace(/=+$/, "")}`;
    this.tickets.set(ticket, { userid, issued: this.nowSeconds() });
    this.csrfTokens.set(csrf, userid);
    return { ticket, csrf };
  }

  /** The user a ticket belongs to, if it is one we issued, unexpired, for an active user. */
  verifyTicket(ticket: string): string | undefined {
    const t = this.tickets.get(ticket);
    if (!t) return undefined;
    const age = this.nowSeconds() - t.issued;
    if (age < -300 || age > TICKET_LIFETIME_S) return undefined;
    const user = this.users.get(t.userid);
    return user && this.userActive(user) ? t.userid : undefined;
  }

  verifyCsrf(userid: string, token: string | null): boolean {
    return token !== null && this.csrfTokens.get(token) === userid;
  }

  // --- authorisation ---

  isRoot(authid: string): boolean {
    return authid === "root@pam";
  }

  /** Effective privileges of a user or token on a path, each with its propagate flag. */
  privileges(authid: string, path: string): ReadonlyMap<string, boolean> {
    if (this.isRoot(authid)) return ROOT_PRIVS;
    const { userid, token } = splitTokenId(authid);
    const user = this.users.get(userid);
    if (!user || !this.userActive(user)) return new Map();
    // root@pam holds every privilege everywhere; its tokens start from that.
    const userPrivs = this.isRoot(userid) ? ROOT_PRIVS : this.withPool(path, (p) => this.privsFromRoles(this.rolesOf(user, undefined, p)));
    if (!token) return userPrivs;
    const t = user.tokens.get(token);
    if (!t) return new Map();
    if (!t.privsep) return userPrivs;
    const tokenPrivs = this.withPool(path, (p) => this.privsFromRoles(this.rolesOf(user, authid, p)));
    return new Map([...tokenPrivs].filter(([priv]) => userPrivs.has(priv)));
  }

  has(authid: string, path: string, privs: readonly string[], any = false): boolean {
    const mine = this.privileges(authid, path);
    return any ? privs.some((p) => mine.has(p)) : privs.every((p) => mine.has(p));
  }

  private withPool(path: string, compute: (path: string) => PrivMap): PrivMap {
    const direct = compute(path);
    const vm = /^\/vms\/(\d+)$/.exec(path);
    const pool = vm ? this.poolOfVm(Number(vm[1])) : undefined;
    if (!pool) return direct;
    for (const [priv, prop] of compute(`/pool/${pool}`)) if (!direct.has(priv)) direct.set(priv, prop);
    return direct;
  }

  private privsFromRoles(roles: Map<string, boolean>): PrivMap {
    const privs: PrivMap = new Map();
    for (const [roleid, propagate] of roles) {
      if (roleid === "NoAccess") return new Map();
      for (const p of this.roles.get(roleid)?.privs ?? []) privs.set(p, privs.get(p) === true || propagate);
    }
    return privs;
  }

  /** `PVE::AccessControl::roles` for a user (tokenid undefined) or a token's own ACLs. */
  private rolesOf(user: UserRecord, tokenid: string | undefined, path: string): Map<string, boolean> {
    const parts = path === "/" ? [""] : path.split("/");
    let roles = new Map<string, boolean>();
    for (let i = 0; i < parts.length; i++) {
      const levelPath = parts.slice(0, i + 1).join("/") || "/";
      const final = i === parts.length - 1;
      const entries = this.acl.get(levelPath);
      if (!entries) continue;
      const own = new Map<string, boolean>();
      const viaGroup = new Map<string, boolean>();
      for (const e of entries) {
        if (!final && !e.propagate) continue;
        if (tokenid !== undefined) {
          if (e.type === "token" && e.ugid === tokenid) own.set(e.roleid, e.propagate);
        } else if (e.type === "user" && e.ugid === user.userid) own.set(e.roleid, e.propagate);
        else if (e.type === "group" && user.groups.includes(e.ugid)) viaGroup.set(e.roleid, e.propagate);
      }
      if (own.size > 0) roles = own;
      else if (viaGroup.size > 0) roles = viaGroup;
    }
    return roles;
  }
}

function base64(rng: Rng, bytes: number): string {
  const raw = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) raw[i] = rng.int(0, 255);
  let bin = "";
  for (const b of raw) bin += String.fromCharCode(b);
  return btoa(bin);
}
