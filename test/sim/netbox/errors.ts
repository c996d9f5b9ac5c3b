/** NetBox's error bodies (spec §9): DRF `{"detail": …}`, the 500 handler's shape, Django's HTML 404 page. */
import { FULL_VERSION, type NetboxVersion } from "./version";

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const detail = (message: string, status: number, headers: Record<string, string> = {}) => json({ detail: message }, status, headers);

/** Django's 404 page (unrouted URLs are not DRF views, so there is no JSON). */
export function htmlNotFound(path: string): Response {
  const body = `<!doctype html>\n<html lang="en">\n<head><title>Page Not Found</title></head>\n<body><h1>Page Not Found</h1><p>The requested resource ${path.replace(/[<>&]/g, "")} was not found on this server.</p></body>\n</html>\n`;
  return new Response(body, { status: 404, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** `handle_rest_api_exception`: the body of an unhandled server error. */
export function serverErrorBody(version: NetboxVersion, error: string, exception: string): Record<string, string> {
  return { error, exception, netbox_version: FULL_VERSION[version], python_version: "3.12.3" };
}

export const serverError = (version: NetboxVersion, error: string, exception: string) => json(serverErrorBody(version, error, exception), 500);

/** The body the real server sends for an injected error status. */
export function faultResponse(version: NetboxVersion): (status: number) => Response {
  return (status) => {
    if (status === 500) return serverError(version, "server closed the connection unexpectedly", "OperationalError");
    if (status === 503) return detail("Service temporarily unavailable, try again later.", 503);
    if (status === 502 || status === 504) {
      // A reverse proxy in front of NetBox answers these, with its own HTML.
      return new Response(`<html><body><h1>${status} ${status === 502 ? "Bad Gateway" : "Gateway Time-out"}</h1></body></html>`, { status, headers: { "Content-Type": "text/html" } });
    }
    if (status === 429) return detail("Request was throttled.", 429);
    if (status === 404) return detail("Not found.", 404);
    if (status === 403) return detail("You do not have permission to perform this action.", 403);
    if (status === 400) return json({ non_field_errors: ["Invalid request."] }, 400);
    return detail("A server error occurred.", status);
  };
}
