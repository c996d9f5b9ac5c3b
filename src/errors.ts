import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable machine-readable error codes. Clients switch on these, never on messages. */
export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "password_change_required"
  | "csrf_failed"
  | "not_found"
  | "conflict"
  | "locked_out"
  | "unsupported_media_type"
  | "payload_too_large"
  | "misconfigured"
  | "initializing"
  | "token_expired"
  | "upstream_rejected"
  | "upstream_unreachable"
  | "upstream_timeout"
  | "upstream_error"
  | "internal";

/** The one error type of the API; `renderError` turns it into `{error:{code,message,details?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const forbidden = (message = "Your role does not allow this action") => new ApiError(403, "forbidden", message);
export const conflict = (message: string, details?: unknown) => new ApiError(409, "conflict", message, details);
export const unauthorized = (message = "Authentication required") =>
  new ApiError(401, "unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="outpost"' });

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Maps any thrown value to the API error shape; unknown errors become a bare 500 without internals. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = HTTP_EXCEPTION_CODES[status] ?? (status >= 500 ? "internal" : "bad_request");
    const message = err.message || (status === 400 ? "Malformed request body" : "Request failed");
    return new ApiError(status, code, message);
  }
  return new ApiError(500, "internal", "An unexpected error occurred; it has been logged with the request id");
}

export function renderError(c: Context, err: ApiError): Response {
  const res = c.json(errorBody(err.code, err.message, err.details), err.status);
  for (const [name, value] of Object.entries(err.headers ?? {})) res.headers.set(name, value);
  return res;
}
