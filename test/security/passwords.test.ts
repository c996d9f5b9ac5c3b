import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS, passwordWeakness, verifyPassword, WORKERS_PBKDF2_CEILING } from "../../src/security/passwords";

describe("password hashing", () => {
  it("stays within the Workers PBKDF2 ceiling of 100,000 iterations (production rejects more)", () => {
    expect(WORKERS_PBKDF2_CEILING).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(WORKERS_PBKDF2_CEILING);
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });

  it("verifies, salts per user and depends on the pepper", async () => {
    const a = await hashPassword("correct horse battery", "pepper-one");
    const b = await hashPassword("correct horse battery", "pepper-one");
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a, "pepper-one")).toBe(true);
    expect(await verifyPassword("correct horse batterY", a, "pepper-one")).toBe(false);
    expect(await verifyPassword("correct horse battery", a, "pepper-two")).toBe(false);
  });

  it("refuses stored hashes above the ceiling or in another scheme", async () => {
    const hash = await hashPassword("correct horse battery", "p");
    expect(await verifyPassword("correct horse battery", hash.replace("$100000$", "$100001$"), "p")).toBe(false);
    expect(await verifyPassword("correct horse battery", hash.replace("pbkdf2-sha256", "md5"), "p")).toBe(false);
  });

  it("rejects weak new passwords with a reason", () => {
    expect(passwordWeakness("short")).toMatch(/at least 12/);
    expect(passwordWeakness("aaaaaaaaaaaaaaaa")).toMatch(/different characters/);
    expect(passwordWeakness("alice-is-my-password", "alice")).toMatch(/username/);
    expect(passwordWeakness("a fine long passphrase")).toBeNull();
  });
});
