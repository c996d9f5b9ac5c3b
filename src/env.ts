/**
 * Runtime configuration and its validation. Bindings come from the generated `Env` (wrangler.toml);
 * this module only adds what wrangler cannot declare (optional secrets) and decides whether the
 * configuration is safe to run with.
 */
export interface AppBindings extends Env {
  /** The previous master key, present only while a rotation is in progress. */
  OUTPOST_MASTER_KEY_PREVIOUS?: string;
}

export type Environment = "development" | "test" | "production";

/** Values published in `.dev.vars.example` and the README; a production deploy must never run with them. */
export const EXAMPLE_SECRET_VALUES = new Set([
  "REPLACE_WITH_32_RANDOM_BYTES_BASE64",
  "REPLACE_WITH_A_LONG_RANDOM_STRING",
  "change-me",
  "changeme",
]);

/** The documented default admin password for local development; refused in production. */
export const DEFAULT_ADMIN_PASSWORD = "outpost-admin";

export const MIN_SECRET_LENGTH = 32;

export interface ConfigProblem {
  setting: string;
  problem: string;
}

export function environmentOf(env: Pick<Env, "ENVIRONMENT">): Environment {
  return env.ENVIRONMENT === "production" ? "production" : env.ENVIRONMENT === "test" ? "test" : "development";
}

function decodeBase64(value: string): Uint8Array | null {
  try {
    const bin = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

export function masterKeyBytes(value: string | undefined): Uint8Array | null {
  if (!value) return null;
  const bytes = decodeBase64(value.trim());
  return bytes && bytes.length === 32 ? bytes : null;
}

function checkSecret(name: string, value: string | undefined, problems: ConfigProblem[]): void {
  if (!value) problems.push({ setting: name, problem: "is not set" });
  else if (EXAMPLE_SECRET_VALUES.has(value)) problems.push({ setting: name, problem: "still has the example value" });
  else if (value.length < MIN_SECRET_LENGTH) problems.push({ setting: name, problem: `is shorter than ${MIN_SECRET_LENGTH} characters` });
}

/**
 * Lists what is wrong with the configuration. Outside production only the master key must be usable
 * (nothing is ever stored in plaintext); in production every secret must be set, long and non-example.
 */
export function configProblems(env: AppBindings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const production = environmentOf(env) === "production";
  if (production) {
    checkSecret("OUTPOST_MASTER_KEY", env.OUTPOST_MASTER_KEY, problems);
    checkSecret("OUTPOST_PEPPER", env.OUTPOST_PEPPER, problems);
    checkSecret("JWT_SECRET", env.JWT_SECRET, problems);
    if (env.INITIAL_ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD || EXAMPLE_SECRET_VALUES.has(env.INITIAL_ADMIN_PASSWORD ?? "")) {
      problems.push({ setting: "INITIAL_ADMIN_PASSWORD", problem: "is the documented default password" });
    }
  }
  if (!problems.some((p) => p.setting === "OUTPOST_MASTER_KEY") && !masterKeyBytes(env.OUTPOST_MASTER_KEY)) {
    problems.push({ setting: "OUTPOST_MASTER_KEY", problem: "must be 32 random bytes, base64-encoded" });
  }
  if (env.OUTPOST_MASTER_KEY_PREVIOUS && !masterKeyBytes(env.OUTPOST_MASTER_KEY_PREVIOUS)) {
    problems.push({ setting: "OUTPOST_MASTER_KEY_PREVIOUS", problem: "must be 32 random bytes, base64-encoded" });
  }
  if (!env.JWT_SECRET) problems.push({ setting: "JWT_SECRET", problem: "is not set" });
  if (!env.OUTPOST_PEPPER) problems.push({ setting: "OUTPOST_PEPPER", problem: "is not set" });
  return dedupe(problems);
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.setting}:${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function corsOrigins(env: Pick<Env, "CORS_ORIGINS">): string[] {
  return (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
