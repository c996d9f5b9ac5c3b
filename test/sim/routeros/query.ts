/**
 * `.proplist` projection and the API query language (spec §2.5): words evaluated on a stack of booleans that
 * starts with infinitely many `true`s; a record matches when no `false` is left. REST sends the words without `?`.
 */
import { invalidValue } from "./errors";

export type Row = Record<string, string>;

export function project(row: Row, proplist: readonly string[] | undefined): Row {
  if (!proplist) return row;
  const out: Row = {};
  for (const key of proplist) if (row[key] !== undefined) out[key] = row[key]!;
  return out;
}

/** RouterOS compares booleans by meaning: `running=yes` matches a stored `true`. */
function sameValue(stored: string, wanted: string): boolean {
  if (stored === wanted) return true;
  const bool = (v: string) => (v === "yes" || v === "true" ? "t" : v === "no" || v === "false" ? "f" : undefined);
  const a = bool(stored);
  return a !== undefined && a === bool(wanted);
}

function compare(stored: string, wanted: string): number {
  const a = Number(stored);
  const b = Number(wanted);
  if (stored !== "" && wanted !== "" && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  return stored < wanted ? -1 : stored > wanted ? 1 : 0;
}

/** GET filters: every `key=value` of the URL must match exactly. */
export function matchesFilters(row: Row, filters: ReadonlyArray<[string, string]>): boolean {
  for (const [key, value] of filters) {
    const stored = row[key];
    if (stored === undefined || !sameValue(stored, value)) return false;
  }
  return true;
}

type Step = (row: Row, stack: boolean[]) => void;

/** Compiles `.query` words once per request so that matching thousands of records stays cheap. */
export function compileQuery(words: readonly string[]): (row: Row) => boolean {
  const steps = words.map(compileWord);
  return (row) => {
    const stack: boolean[] = [];
    for (const step of steps) step(row, stack);
    return stack.every(Boolean);
  };
}

const pop = (stack: boolean[]) => (stack.length > 0 ? stack.pop()! : true);
const peek = (stack: boolean[], depth: number) => (depth < stack.length ? stack[stack.length - 1 - depth]! : true);

function compileWord(word: string): Step {
  if (word.startsWith("#")) return compileOps(word.slice(1));
  if (word.startsWith("-")) {
    const name = word.slice(1);
    return (row, stack) => void stack.push(row[name] === undefined);
  }
  const relation = /^([<>])([^=]+)=(.*)$/s.exec(word);
  if (relation) {
    const [, op, name, value] = relation as unknown as [string, string, string, string];
    return (row, stack) => {
      const stored = row[name];
      stack.push(stored !== undefined && (op === "<" ? compare(stored, value) < 0 : compare(stored, value) > 0));
    };
  }
  const eq = word.indexOf("=");
  if (eq > 0) {
    const name = word.slice(0, eq);
    const value = word.slice(eq + 1);
    return (row, stack) => {
      const stored = row[name];
      stack.push(stored !== undefined && sameValue(stored, value));
    };
  }
  if (word === "") throw invalidValue(".query");
  return (row, stack) => void stack.push(row[word] !== undefined);
}

function compileOps(ops: string): Step {
  if (!/^[0-9!&|.]+$/.test(ops)) throw invalidValue(".query");
  return (_row, stack) => {
    let i = 0;
    while (i < ops.length) {
      const ch = ops[i]!;
      if (ch >= "0" && ch <= "9") {
        let j = i;
        while (j < ops.length && ops[j]! >= "0" && ops[j]! <= "9") j++;
        const value = peek(stack, Number(ops.slice(i, j)));
        // An index at the end of the word replaces the whole stack; otherwise it pushes a copy.
        if (j === ops.length) stack.splice(0, stack.length, value);
        else stack.push(value);
        i = j;
        continue;
      }
      if (ch === "!") stack.push(!pop(stack));
      else if (ch === "&" || ch === "|") {
        const a = pop(stack);
        const b = pop(stack);
        stack.push(ch === "&" ? a && b : a || b);
      } else if (ch === ".") stack.push(peek(stack, 0));
      else throw invalidValue(".query");
      i++;
    }
  };
}
