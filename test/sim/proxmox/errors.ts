/**
 * PVE's error shapes: `{data:null,message}` with the first message line in the status line, `errors` only for
 * parameter problems, and 401s whose reason lives in the status text alone (empty body).
 */
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
    readonly emptyBody = false,
  ) {
    super(message);
    this.name = "PveError";
  }
}

const withNewline = (msg: string) => (msg.endsWith("\n") ? msg : `${msg}\n`);

export const paramError = (errors: Record<string, string>) => new PveError(400, "Parameter verification failed.\n", errors);
/** A `die` inside a handler: 500 with the message. */
export const die = (message: string) => new PveError(500, withNewline(message));
export const permissionDenied = (what: string) => new PveError(403, `Permission check failed (${what})\n`);
export const authFailure = (reason: string) => new PveError(401, reason, undefined, true);
export const notImplemented = (method: string, path: string) => new PveError(501, `Method '${method} ${path}' not implemented\n`);

const JSON_TYPE = "application/json;charset=UTF-8";

function statusLine(message: string): string {
  // Status lines cannot carry newlines or non-Latin-1 text.
  return (message.split("\n")[0] ?? "").replace(/[^\x20-\x7e]/g, "?");
}

export function errorResponse(err: PveError): Response {
  const init = { status: err.status, statusText: statusLine(err.message) };
  if (err.emptyBody) return new Response(null, init);
  const body: Record<string, unknown> = { data: null, message: err.message };
  if (err.errors) body.errors = err.errors;
  return new Response(JSON.stringify(body), { ...init, headers: { "content-type": JSON_TYPE } });
}

export function dataResponse(data: unknown, extra?: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ data: data ?? null, ...extra }), { status: 200, statusText: "OK", headers: { "content-type": JSON_TYPE } });
}

/** The body the real server sends for an injected fault of this status. */
export function faultResponse(status: number): Response {
  const reasons: Record<number, string> = {
    400: "Parameter verification failed.",
    401: "No ticket",
    403: "Permission check failed",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    595: "Connection refused",
    596: "Connection timed out",
  };
  const reason = reasons[status] ?? `HTTP ${status}`;
  return errorResponse(new PveError(status, `${reason}\n`, undefined, status === 401));
}
