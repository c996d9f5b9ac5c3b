/** What the typed-client tests share: a lab target, a wire to an in-process simulator, and error capture. */
import { ApiError } from "../../src/errors";
import type { UpstreamTarget } from "../../src/upstream/transport";

export type FetchLike = (req: Request) => Promise<Response>;

export function labTarget(label: string, host: string, overrides: Partial<UpstreamTarget> = {}): UpstreamTarget {
  return { label, scheme: "http", host, port: 80, basePath: "", transport: { mode: "direct" }, timeoutMs: 5000, retries: 0, backoffMs: 1, ...overrides };
}

/** Honours the abort signal like a real connection, so a hanging simulator turns into a transport timeout. */
export function wire(sim: { fetch(req: Request): Promise<Response> }): FetchLike {
  return (req) =>
    Promise.race([sim.fetch(req), new Promise<Response>((_, reject) => req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))]);
}

/** The ApiError a promise rejects with; anything else fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}
