/**
 * Walks the app's own route table, so a route added later is covered without touching this file:
 * every non-public route answers 401 without credentials, and every mutating route that is not
 * self-service answers 403 to a viewer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { matches, PUBLIC_ROUTES, SELF_SERVICE_ROUTES } from "../../src/http/public-routes";
import { call, loginAdmin, userWithRole } from "../helpers/api";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function appRoutes(): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  return buildApp()
    .routes.filter((r) => r.method !== "ALL" && r.path !== "*")
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A concrete URL for a route pattern: every path parameter becomes 1. */
const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, "1");

const routes = appRoutes();
const protectedRoutes = routes.filter((r) => !matches(PUBLIC_ROUTES, r.method, r.path));
const mutating = protectedRoutes.filter((r) => MUTATING.has(r.method) && !matches(SELF_SERVICE_ROUTES, r.method, r.path));

describe("the route table", () => {
  it("has the routes this test is meant to cover", () => {
    expect(protectedRoutes.length).toBeGreaterThan(25);
    expect(mutating.length).toBeGreaterThan(12);
    for (const r of PUBLIC_ROUTES) expect(routes, `${r.method} ${r.path} is public but not routed`).toContainEqual(r);
  });

  it.each(protectedRoutes)("$method $path answers 401 without credentials", async ({ method, path }) => {
    const res = await call(concrete(path), { method, body: MUTATING.has(method) ? {} : undefined });
    expect(res.status).toBe(401);
    expect((await res.json()) as object).toMatchObject({ error: { code: "unauthorized" } });
  });

  it.each(protectedRoutes)("$method $path answers 401 to a forged token", async ({ method, path }) => {
    const forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwidGlkIjoxLCJyb2xlIjoic3VwZXJfYWRtaW4ifQ.c2lnbmF0dXJl";
    const res = await call(concrete(path), { method, token: forged, source: `forged-${method}-${path}` });
    expect(res.status).toBe(401);
  });

  describe("as a viewer", () => {
    let viewerToken = "";
    beforeAll(async () => {
      viewerToken = (await userWithRole((await loginAdmin()).access_token, "viewer")).access_token;
    });

    it.each(mutating)("$method $path answers 403", async ({ method, path }) => {
      const res = await call(concrete(path), { method, token: viewerToken, body: {} });
      expect(res.status).toBe(403);
      expect((await res.json()) as object).toMatchObject({ error: { code: "forbidden" } });
    });

    it.each(SELF_SERVICE_ROUTES)("$method $path is allowed (self-service)", async ({ method, path }) => {
      // A fresh viewer each time: signing out ends the session the other self-service calls would use.
      const token = (await userWithRole((await loginAdmin()).access_token, "viewer")).access_token;
      const res = await call(path, { method, token, body: {} });
      expect(res.status).not.toBe(403);
      expect(res.status).not.toBe(401);
    });
  });
});
