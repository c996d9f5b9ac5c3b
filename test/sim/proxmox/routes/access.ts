/** Access control: ticket login and renewal, users, API tokens, ACLs, roles and effective permissions. */
import { isValidAclPath, normalizeAclPath, splitTokenId, type UserRecord } from "../access";
import { PveError, die, paramError, permissionDenied } from "../errors";
import { splitList } from "../formats";
import type { HandlerContext, PveRouter } from "../router";
import { flag, int, str } from "./helpers";

const REALMS = new Set(["pam", "pve"]);
const STANDARD_PATHS = ["/", "/access", "/access/groups", "/nodes", "/pool", "/sdn", "/storage", "/vms", "/mapping"];

function userOf(ctx: HandlerContext, userid: string): UserRecord {
  const user = ctx.state.access.users.get(userid);
  if (!user) throw die(`no such user ('${userid}')`);
  return user;
}

/** `["or", ["userid-param","self"], ["userid-group",["User.Modify"]]]`. */
function checkSelfOrUserModify(ctx: HandlerContext, userid: string): void {
  if (ctx.auth.authid === userid) return;
  ctx.check("/access/groups", ["User.Modify"]);
}

function tokenInfo(t: { privsep: boolean; expire: number; comment?: string }) {
  return { privsep: t.privsep ? 1 : 0, expire: t.expire, ...(t.comment !== undefined ? { comment: t.comment } : {}) };
}

/** The `cap` map the GUI uses: privileges on the top-level paths. */
function capabilities(ctx: HandlerContext, authid: string) {
  const cap: Record<string, Record<string, number>> = {};
  for (const [name, path] of [["vms", "/vms"], ["storage", "/storage"], ["nodes", "/nodes"], ["access", "/access"], ["dc", "/"], ["sdn", "/sdn"], ["mapping", "/mapping"]] as const) {
    cap[name] = Object.fromEntries([...ctx.state.access.privileges(authid, path).keys()].map((p) => [p, 1]));
  }
  return cap;
}

export function accessRoutes(r: PveRouter): void {
  r.on("POST /access/ticket", {
    handler: (ctx) => {
      const { state, params } = ctx;
      let username = str(params, "username")!;
      const realm = str(params, "realm");
      if (!username.includes("@") && realm) username = `${username}@${realm}`;
      const password = str(params, "password")!;
      const renewed = password.startsWith("PVE:") && state.access.verifyTicket(password) === username;
      if (!renewed && !state.access.checkPassword(username, password)) throw new PveError(401, "authentication failure\n");
      const path = str(params, "path");
      if (path !== undefined) {
        if (!state.access.has(username, path, splitList(str(params, "privs") ?? ""))) throw new PveError(401, "authentication failure\n");
        return { data: { username } };
      }
      const { ticket, csrf } = state.access.issueTicket(username);
      return { data: { username, ticket, CSRFPreventionToken: csrf, clustername: state.clusterName, cap: capabilities(ctx, username) } };
    },
  });

  r.on("GET /access/users", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const all = ctx.can("/access/groups", ["User.Modify", "Sys.Audit"], true);
      const data = [];
      for (const u of state.access.users.values()) {
        if (!all && u.userid !== ctx.auth.userid) continue;
        if ("enabled" in params && (u.enable ? 1 : 0) !== params.enabled) continue;
        const entry: Record<string, unknown> = { userid: u.userid, enable: u.enable ? 1 : 0, expire: u.expire, "realm-type": u.userid.split("@")[1] };
        for (const k of ["comment", "email", "firstname", "lastname"] as const) if (u[k] !== undefined) entry[k] = u[k];
        if (u.groups.length > 0) entry.groups = u.groups.join(",");
        if (flag(params, "full")) entry.tokens = [...u.tokens].map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) }));
        data.push(entry);
      }
      return { data, reads: data.length };
    },
  });

  r.on("POST /access/users", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const userid = str(params, "userid")!;
      const realm = userid.slice(userid.lastIndexOf("@") + 1);
      ctx.check(`/access/realm/${realm}`, ["Realm.AllocateUser"]);
      const groups = splitList(str(params, "groups") ?? "");
      for (const g of groups) ctx.check(`/access/groups/${g}`, ["User.Modify"]);
      if (!REALMS.has(realm)) throw die(`create user failed: domain '${realm}' does not exist`);
      if (state.access.users.has(userid)) throw die(`create user failed: user '${userid}' already exists`);
      const password = str(params, "password");
      if (password !== undefined && realm !== "pve") throw die(`create user failed: can't set password on realm '${realm}'`);
      state.access.addUser(userid, {
        enable: params.enable === undefined ? true : params.enable === 1,
        expire: int(params, "expire") ?? 0,
        groups,
        ...(password !== undefined ? { password } : {}),
        ...Object.fromEntries((["comment", "email", "firstname", "lastname"] as const).filter((k) => params[k] !== undefined).map((k) => [k, str(params, k)])),
      });
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /access/users/{userid}/token", {
    handler: (ctx) => {
      const userid = str(ctx.params, "userid")!;
      checkSelfOrUserModify(ctx, userid);
      const data = [...userOf(ctx, userid).tokens].map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) }));
      return { data, reads: data.length };
    },
  });

  const tokenOf = (ctx: HandlerContext) => {
    const userid = str(ctx.params, "userid")!;
    const tokenid = str(ctx.params, "tokenid")!;
    checkSelfOrUserModify(ctx, userid);
    const user = userOf(ctx, userid);
    const token = user.tokens.get(tokenid);
    if (!token) throw die(`no such token '${tokenid}' for user '${userid}'`);
    return { user, tokenid, token };
  };

  r.on("GET /access/users/{userid}/token/{tokenid}", { handler: (ctx) => ({ data: tokenInfo(tokenOf(ctx).token), reads: 1 }) });

  r.on("POST /access/users/{userid}/token/{tokenid}", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const userid = str(params, "userid")!;
      const tokenid = str(params, "tokenid")!;
      checkSelfOrUserModify(ctx, userid);
      const user = userOf(ctx, userid);
      if (user.tokens.has(tokenid)) throw paramError({ tokenid: "Token already exists." });
      const token = state.access.addToken(userid, tokenid, {
        privsep: params.privsep === undefined ? true : params.privsep === 1,
        expire: int(params, "expire") ?? user.expire,
        ...(params.comment !== undefined ? { comment: str(params, "comment") } : {}),
      });
      return { data: { "full-tokenid": `${userid}!${tokenid}`, info: tokenInfo(token), value: token.secret }, writes: 1 };
    },
  });

  r.on("PUT /access/users/{userid}/token/{tokenid}", {
    handler: (ctx) => {
      const { token } = tokenOf(ctx);
      const { params } = ctx;
      for (const k of splitList(str(params, "delete") ?? "")) {
        if (k === "comment") delete token.comment;
        else if (k === "expire") token.expire = 0;
      }
      if (params.comment !== undefined) token.comment = str(params, "comment");
      if (params.expire !== undefined) token.expire = int(params, "expire")!;
      if (params.privsep !== undefined) token.privsep = params.privsep === 1;
      return { data: tokenInfo(token), writes: 1 };
    },
  });

  r.on("DELETE /access/users/{userid}/token/{tokenid}", {
    handler: (ctx) => {
      const { user, tokenid } = tokenOf(ctx);
      user.tokens.delete(tokenid);
      const full = `${user.userid}!${tokenid}`;
      for (const e of ctx.state.access.aclEntries()) if (e.type === "token" && e.ugid === full) ctx.state.access.setAcl(e, true);
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /access/acl", {
    handler: (ctx) => {
      const data = ctx.state.access
        .aclEntries()
        .filter((e) => ctx.can(e.path, ["Permissions.Modify"]))
        .map((e) => ({ path: e.path, roleid: e.roleid, type: e.type, ugid: e.ugid, propagate: e.propagate ? 1 : 0 }));
      return { data, reads: data.length };
    },
  });

  r.on("PUT /access/acl", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const path = normalizeAclPath(str(params, "path")!);
      if (!isValidAclPath(path)) throw paramError({ path: `invalid ACL path '${str(params, "path")}'` });
      const users = splitList(str(params, "users") ?? "");
      const groups = splitList(str(params, "groups") ?? "");
      const tokens = splitList(str(params, "tokens") ?? "");
      if (users.length + groups.length + tokens.length === 0) {
        const msg = "either 'users', 'groups' or 'tokens' is required.";
        throw paramError({ users: msg, groups: msg, tokens: msg });
      }
      ctx.check(path, ["Permissions.Modify"]);
      const remove = flag(params, "delete");
      const propagate = params.propagate === undefined ? true : params.propagate === 1;
      for (const role of splitList(str(params, "roles")!)) {
        if (!state.access.roles.has(role)) throw die(`role '${role}' does not exist`);
        for (const u of users) {
          if (!state.access.users.has(u)) throw die(`user '${u}' does not exist`);
          state.access.setAcl({ path, type: "user", ugid: u, roleid: role, propagate }, remove);
        }
        for (const g of groups) state.access.setAcl({ path, type: "group", ugid: g, roleid: role, propagate }, remove);
        for (const t of tokens) {
          const { userid, token } = splitTokenId(t);
          if (!token || !state.access.users.get(userid)?.tokens.has(token)) throw die(`no such token '${token ?? ""}' for user '${userid}'`);
          state.access.setAcl({ path, type: "token", ugid: t, roleid: role, propagate }, remove);
        }
      }
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /access/roles", {
    handler: ({ state }) => {
      const data = [...state.access.roles].map(([roleid, role]) => ({ roleid, privs: [...role.privs].sort().join(","), special: role.special ? 1 : 0 }));
      return { data, reads: data.length };
    },
  });

  r.on("POST /access/roles", {
    perm: { path: "/access", privs: ["Sys.Modify"] },
    handler: ({ state, params }) => {
      const roleid = str(params, "roleid")!;
      if (state.access.roles.has(roleid)) throw die(`role '${roleid}' already exists`);
      state.access.roles.set(roleid, { privs: new Set(splitList(str(params, "privs") ?? "")), special: false });
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /access/permissions", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const target = str(params, "userid") ?? ctx.auth.authid;
      const own = target === ctx.auth.authid || (ctx.auth.token === undefined && splitTokenId(target).userid === ctx.auth.authid);
      if (!own && !ctx.can("/access", ["Sys.Audit"])) throw permissionDenied("/access, Sys.Audit");
      const only = str(params, "path");
      const paths = only !== undefined ? [only] : [...new Set([...STANDARD_PATHS, ...state.access.aclPaths()])].sort();
      const data: Record<string, Record<string, number>> = {};
      for (const p of paths) {
        const privs = state.access.privileges(target, p);
        if (privs.size === 0 && only === undefined) continue;
        data[p] = Object.fromEntries([...privs].sort(([a], [b]) => a.localeCompare(b)).map(([priv, prop]) => [priv, prop ? 1 : 0]));
      }
      return { data, reads: paths.length };
    },
  });
}
