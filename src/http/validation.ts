import type { Hook } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
}

/** Zod failures become 400 `validation_failed`, naming each field and what is wrong with it. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issues = (result.error as { issues: Issue[] }).issues.map((issue) => ({
    field: [result.target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join("; ");
  throw new ApiError(400, "validation_failed", `Invalid request: ${summary}`, { issues });
};
