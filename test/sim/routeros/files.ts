/** `/file`: what `export file=…` writes and `file/read` reads back, indexed by name. */
import type { Row } from "./query";
import { formatId } from "./tables";

export interface SimFile {
  id: string;
  name: string;
  type: string;
  contents: string;
  createdMs: number;
  modifiedMs: number;
}

export class FileStore {
  private readonly byName = new Map<string, SimFile>();
  private seq = 0;

  /** Creates or overwrites a file (an overwrite keeps its id and creation time, as RouterOS does). */
  write(name: string, type: string, contents: string, nowMs: number): SimFile {
    const existing = this.byName.get(name);
    if (existing) {
      existing.contents = contents;
      existing.modifiedMs = nowMs;
      return existing;
    }
    const file = { id: formatId(++this.seq), name, type, contents, createdMs: nowMs, modifiedMs: nowMs };
    this.byName.set(name, file);
    return file;
  }

  /** By `*id` or name. */
  find(key: string): SimFile | undefined {
    if (!key.startsWith("*")) return this.byName.get(key);
    for (const file of this.byName.values()) if (file.id === key) return file;
    return undefined;
  }

  remove(file: SimFile): void {
    this.byName.delete(file.name);
  }

  all(): SimFile[] {
    return [...this.byName.values()].sort((a, b) => (a.id.length - b.id.length) || a.id.localeCompare(b.id));
  }

  /** Bytes the files take on disk. */
  usedBytes(): number {
    let total = 0;
    for (const file of this.byName.values()) total += byteLength(file.contents);
    return total;
  }

  render(file: SimFile, date: (ms: number) => string): Row {
    return {
      ".id": file.id,
      name: file.name,
      type: file.type,
      ...(file.type === "directory" ? {} : { size: String(byteLength(file.contents)) }),
      "creation-time": date(file.createdMs),
      "last-modified": date(file.modifiedMs),
    };
  }
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
