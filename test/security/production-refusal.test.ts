import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { DEFAULT_ADMIN_PASSWORD, EXAMPLE_SECRET_VALUES, type AppBindings } from "../../src/env";

const app = buildApp();
const strong = {
  ENVIRONMENT: "production",
  OUTPOST_MASTER_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  OUTPOST_PEPPER: "a-production-pepper-that-is-long-enough-1234",
  JWT_SECRET: "a-production-jwt-secret-that-is-long-enough-1",
  INITIAL_ADMIN_PASSWORD: "a-real-initial-admin-password",
};

function fetchWith(overrides: Partial<AppBindings>, path = "/api/v1/endpoints") {
  return app.fetch(new Request(`http://outpost.test${path}`), { ...env, ...strong, ...overrides } as AppBindings, createExecutionContext());
}

describe("production refuses an unsafe configuration", () => {
  const [example] = [...EXAMPLE_SECRET_VALUES];
  const cases: Array<[string, Partial<AppBindings>, string]> = [
    ["a missing master key", { OUTPOST_MASTER_KEY: "" }, "OUTPOST_MASTER_KEY is not set"],
    ["a short master key", { OUTPOST_MASTER_KEY: "c2hvcnQ=" }, "OUTPOST_MASTER_KEY is shorter than 32 characters"],
    ["the example master key", { OUTPOST_MASTER_KEY: example }, "OUTPOST_MASTER_KEY still has the example value"],
    ["a short pepper", { OUTPOST_PEPPER: "pepper" }, "OUTPOST_PEPPER is shorter than 32 characters"],
    ["a missing JWT secret", { JWT_SECRET: "" }, "JWT_SECRET is not set"],
    ["the default admin password", { INITIAL_ADMIN_PASSWORD: DEFAULT_ADMIN_PASSWORD }, "INITIAL_ADMIN_PASSWORD is the documented default password"],
  ];

  it.each(cases)("%s: every request answers 503 naming the problem", async (_name, overrides, message) => {
    const res = await fetchWith(overrides);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe("misconfigured");
    expect(body.error.message).toContain(message);
    const login = await app.fetch(
      new Request("http://outpost.test/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      { ...env, ...strong, ...overrides } as AppBindings,
      createExecutionContext(),
    );
    expect(login.status).toBe(503);
  });

  it.each(cases)("%s: /health reports misconfigured with the reason", async (_name, overrides, message) => {
    const res = await fetchWith(overrides, "/health");
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status: "misconfigured", init_ok: false, checks: { config: { ok: false } } });
    expect(body.checks.config.problems.map((p: any) => `${p.setting} ${p.problem}`)).toContain(message);
  });

  it("never echoes a secret value in the refusal", async () => {
    const text = await (await fetchWith({ OUTPOST_PEPPER: "tiny-secret-pepper" })).text();
    expect(text).not.toContain("tiny-secret-pepper");
  });

  it("serves normally with strong secrets", async () => {
    expect((await fetchWith({}, "/health")).status).toBe(200);
  });

  it("outside production a weak JWT secret is tolerated but a bad master key is not", async () => {
    expect((await fetchWith({ ENVIRONMENT: "development", JWT_SECRET: "dev" }, "/health")).status).toBe(200);
    expect((await fetchWith({ ENVIRONMENT: "development", OUTPOST_MASTER_KEY: "not-base64-key" }, "/health")).status).toBe(503);
  });
});
