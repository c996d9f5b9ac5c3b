/** Access-control endpoints: tickets, users, API tokens, ACLs, roles and effective permissions. */
import { TOKENID, USERID, bool, fmt, int, opt, pat, str } from "./builders";
import type { EndpointDecl } from "./types";

const TOKEN_OPTIONS = { comment: opt(str()), expire: opt(int(0)), privsep: opt(bool()) };

export const ACCESS_ENDPOINTS: EndpointDecl[] = [
  {
    method: "POST",
    path: "/access/ticket",
    allowtoken: false,
    params: {
      username: str({ maxLength: 64 }),
      password: str(),
      "new-format": opt(bool()),
      otp: opt(str()),
      path: opt(str({ maxLength: 64, requires: "privs" })),
      privs: opt(fmt("pve-priv-list", { maxLength: 64, requires: "path" })),
      realm: opt(fmt("pve-realm", { maxLength: 32 })),
      "tfa-challenge": opt(str()),
    },
  },
  { method: "GET", path: "/access/users", params: { enabled: opt(bool()), full: opt(bool()) } },
  {
    method: "POST",
    path: "/access/users",
    params: {
      userid: USERID,
      comment: opt(str({ maxLength: 2048 })),
      email: opt(fmt("email-opt", { maxLength: 254 })),
      enable: opt(bool()),
      expire: opt(int(0)),
      firstname: opt(str({ maxLength: 1024 })),
      groups: opt(fmt("pve-groupid-list")),
      keys: opt(pat("[0-9a-zA-Z!=]{0,4096}")),
      lastname: opt(str({ maxLength: 1024 })),
      password: opt(str({ minLength: 8, maxLength: 64 })),
    },
  },
  { method: "GET", path: "/access/users/{userid}/token", params: { userid: USERID } },
  { method: "GET", path: "/access/users/{userid}/token/{tokenid}", params: { userid: USERID, tokenid: TOKENID } },
  {
    method: "POST",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid: USERID, tokenid: TOKENID, ...TOKEN_OPTIONS },
  },
  {
    method: "PUT",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid: USERID, tokenid: TOKENID, ...TOKEN_OPTIONS, delete: opt(fmt("pve-configid-list")) },
  },
  { method: "DELETE", path: "/access/users/{userid}/token/{tokenid}", params: { userid: USERID, tokenid: TOKENID } },
  { method: "GET", path: "/access/acl", params: {} },
  {
    method: "PUT",
    path: "/access/acl",
    params: {
      path: str(),
      roles: fmt("pve-roleid-list"),
      delete: opt(bool()),
      groups: opt(fmt("pve-groupid-list")),
      propagate: opt(bool()),
      tokens: opt(fmt("pve-tokenid-list")),
      users: opt(fmt("pve-userid-list")),
    },
  },
  { method: "GET", path: "/access/roles", params: {} },
  { method: "POST", path: "/access/roles", params: { roleid: fmt("pve-roleid"), privs: opt(fmt("pve-priv-list")) } },
  {
    method: "GET",
    path: "/access/permissions",
    params: {
      path: opt(str()),
      userid: opt(pat("(?:^(?:[^\\s:/]+)\\@(?:[A-Za-z][A-Za-z0-9\\.\\-_]+)(?:!(?:[A-Za-z][A-Za-z0-9\\.\\-_]+))?$)")),
    },
  },
];
