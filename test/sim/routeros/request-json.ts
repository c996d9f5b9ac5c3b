/**
 * How RouterOS reads a REST request body: JSON whose numbers may be octal (leading `0`) or hex (`0x`), whose
 * exponents are refused, and whose values all become strings (`true` → `yes`); anything else is
 * `Failed to parse json`.
 */
import { badJson, invalidValue } from "./errors";

const NUMBER = /-?(?:0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/y;

/** Rewrites RouterOS number forms to plain decimals so that `JSON.parse` can read the rest strictly. */
function normaliseNumbers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) throw badJson();
      out += decimal(match[0]);
      i += match[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function decimal(token: string): string {
  if (/[eE]/.test(token)) throw badJson();
  const negative = token.startsWith("-");
  const digits = negative ? token.slice(1) : token;
  let value: string;
  if (/^0[xX]/.test(digits)) value = BigInt(digits).toString();
  else if (/^0[0-9]+$/.test(digits)) {
    if (/[89]/.test(digits)) throw badJson();
    value = BigInt(`0o${digits.slice(1)}`).toString();
  } else value = digits;
  return negative ? `-${value}` : value;
}

/** Parses a request body; an empty body is `{}`. */
export function parseRequestJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(normaliseNumbers(text));
  } catch {
    throw badJson();
  }
}

export type Args = Map<string, string>;

/**
 * A body's arguments as RouterOS sees them: every value a string. `.proplist` and `.query` may be arrays and are
 * returned separately; any other nested value is an invalid argument.
 */
export function requestArgs(body: unknown): { args: Args; proplist?: string[]; query?: string[] } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badJson();
  const args: Args = new Map();
  let proplist: string[] | undefined;
  let query: string[] | undefined;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === ".proplist") proplist = listValue(key, value);
    else if (key === ".query") {
      if (!Array.isArray(value)) throw invalidValue(key);
      query = value.map((v) => scalar(key, v));
    } else args.set(key, scalar(key, value));
  }
  return { args, ...(proplist ? { proplist } : {}), ...(query ? { query } : {}) };
}

function listValue(key: string, value: unknown): string[] {
  const items = Array.isArray(value) ? value.map((v) => scalar(key, v)) : scalar(key, value).split(",");
  return items.map((s) => s.trim()).filter((s) => s !== "");
}

function scalar(key: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (value === null) return "";
  throw invalidValue(key);
}
