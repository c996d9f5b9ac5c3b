/**
 * RouterOS REST error shapes (spec §3.4): `{"detail":…,"error":<status>,"message":<reason phrase>}` with the
 * keys in the order RouterOS writes them; `detail` is the native API's `!trap` text and is absent on 401/404/415.
 */
export class RosError extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
  ) {
    super(detail ?? reasonPhrase(status));
    this.name = "RosError";
  }
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? `HTTP ${status}`;
}

const JSON_HEADERS = { "content-type": "application/json" };

export function errorResponse(err: RosError, headers: Record<string, string> = {}): Response {
  const body = err.detail === undefined ? { error: err.status, message: reasonPhrase(err.status) } : { detail: err.detail, error: err.status, message: reasonPhrase(err.status) };
  return new Response(JSON.stringify(body), { status: err.status, statusText: reasonPhrase(err.status), headers: { ...JSON_HEADERS, ...headers } });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, statusText: status === 201 ? "Created" : "OK", headers: { ...JSON_HEADERS, ...headers } });
}

/** The body a router sends for an injected fault of this status. */
export function faultResponse(status: number): Response {
  return errorResponse(new RosError(status));
}

const bad = (detail: string) => new RosError(400, detail);

export const unauthorized = () => new RosError(401);
export const notFound = () => new RosError(404);
export const unsupportedMediaType = () => new RosError(415);
export const noSuchCommandOrDirectory = (name: string) => bad(`no such command or directory (${name})`);
export const noSuchCommand = () => bad("no such command");
export const noSuchCommandPrefix = () => bad("no such command prefix");
export const unknownParameter = (name: string) => bad(`unknown parameter ${name}`);
export const invalidValue = (name: string) => bad(`invalid value for argument ${name}`);
export const missingArgument = (name: string) => bad(`missing =${name}=`);
export const noMatch = (what: string) => bad(`input does not match any value of ${what}`);
export const failure = (text: string) => bad(`failure: ${text}`);
export const missingId = () => bad("missing or invalid resource identifier");
export const badJson = () => bad("Failed to parse json");
export const sessionClosed = () => bad("Session closed");
/** A policy of the user's group is missing. */
export const notEnoughPermissions = () => new RosError(500, "not enough permissions (9)");
/** The group has `rest-api` but not `api`. */
export const notAllowed = () => new RosError(500, "std failure: not allowed (9)");
export const noSuchItem = () => bad("no such item");
