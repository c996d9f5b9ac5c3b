/**
 * RouterOS users, groups and policies as REST applies them: Basic auth, `rest-api` needed to log in at all
 * (else 401), `api` needed to run anything (else `std failure: not allowed (9)`).
 */
import { notAllowed, unauthorized } from "./errors";

export const ALL_POLICIES = [
  "local",
  "telnet",
  "ssh",
  "ftp",
  "reboot",
  "read",
  "write",
  "policy",
  "test",
  "winbox",
  "password",
  "web",
  "sniff",
  "sensitive",
  "api",
  "romon",
  "rest-api",
] as const;
export type Policy = (typeof ALL_POLICIES)[number];

export interface SimUser {
  name: string;
  password: string;
  group: string;
  policies: ReadonlySet<Policy>;
}

export class UserDb {
  private readonly users = new Map<string, SimUser>();

  add(name: string, password: string, group: string, policies: readonly Policy[]): SimUser {
    const user = { name, password, group, policies: new Set(policies) };
    this.users.set(name, user);
    return user;
  }

  get(name: string): SimUser | undefined {
    return this.users.get(name);
  }

  /** Resolves the Basic credentials of a request or throws the error the router answers with. */
  authenticate(authorization: string | undefined): SimUser {
    const credentials = decodeBasic(authorization);
    const user = credentials && this.users.get(credentials.name);
    if (!credentials || !user || user.password !== credentials.password || !user.policies.has("rest-api")) throw unauthorized();
    if (!user.policies.has("api")) throw notAllowed();
    return user;
  }
}

/** The user name of a Basic header (also the per-user queue key); undefined when there is none. */
export function basicUserName(authorization: string | null | undefined): string | undefined {
  return decodeBasic(authorization ?? undefined)?.name;
}

function decodeBasic(header: string | undefined): { name: string; password: string } | undefined {
  const match = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  let text: string;
  try {
    const binary = atob(match[1]!);
    text = new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { name: text.slice(0, colon), password: text.slice(colon + 1) };
}
