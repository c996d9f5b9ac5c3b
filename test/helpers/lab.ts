/**
 * Puts a simulated lab on the Worker's network for a test: the Worker's outbound fetch to a lab address reaches
 * the in-process simulator (the test and the Worker share one isolate); anything else still fails as it would.
 */
import { afterEach, vi } from "vitest";
import type { Lab } from "../sim/lab";

export function installLab(lab: Lab): void {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    return new URL(request.url).hostname.endsWith(".lab") ? lab.dispatch(request) : realFetch(request);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The body that registers a lab service as an Outpost endpoint reached over plain HTTP. */
export function endpointFor(service: Lab["services"][number]) {
  return { kind: service.kind, name: service.name, scheme: "http", host: service.host, port: service.port, credentials: service.credentials };
}
