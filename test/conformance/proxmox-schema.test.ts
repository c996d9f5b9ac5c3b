/**
 * (a) Every endpoint the PVE simulator serves exists in the real schema (pve-docs 9.1.3) with that method, and its
 * hand-written parameter declarations equal the schema's: same names, types, optional flags, enums, ranges,
 * lengths, format names, patterns (after the Perl→JavaScript rewrite) and property-string sub-keys.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createProxmoxSim } from "../sim/proxmox";
import { ENDPOINTS } from "../sim/proxmox/schema";
import type { AliasDecl, PropertyDecl, PropertyStringFormat, SubKeyDecl } from "../sim/proxmox/schema";

interface SchemaProperty {
  type?: string;
  optional?: number;
  enum?: string[];
  minimum?: number | string;
  maximum?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string | Record<string, SchemaProperty>;
  requires?: string;
  items?: SchemaProperty;
  default_key?: number;
  alias?: string;
  keyAlias?: string;
}
interface SchemaMethod {
  allowtoken?: number;
  parameters?: { additionalProperties?: number; properties?: Record<string, SchemaProperty> };
}
interface SchemaNode {
  path: string;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}

const fixture = path.resolve(import.meta.dirname, "../../../shared/fixtures/pve-api-schema-9.1.3.json");
const tree = JSON.parse(fs.readFileSync(fixture, "utf8")) as SchemaNode[];
const methods = new Map<string, SchemaMethod>();
(function walk(nodes: SchemaNode[]) {
  for (const n of nodes) {
    for (const [m, info] of Object.entries(n.info ?? {})) methods.set(`${m} ${n.path}`, info);
    if (n.children) walk(n.children);
  }
})(tree);

/** The fixture README's rewrite: Perl flag groups and atomic groups to JavaScript, `{,n}` to `{0,n}`. */
function perlToJs(pattern: string): string {
  return pattern.replaceAll("(?^:", "(?:").replaceAll("(?>", "(?:").replaceAll("{,", "{0,");
}

/** A comparable, description-free view of one schema property. */
function normaliseSchema(p: SchemaProperty): unknown {
  if (p.alias !== undefined) return { alias: p.alias, keyAlias: p.keyAlias ?? null };
  return {
    type: p.type,
    optional: p.optional === 1,
    enum: p.enum ?? null,
    minimum: p.minimum === undefined ? null : Number(p.minimum),
    maximum: p.maximum === undefined ? null : Number(p.maximum),
    minLength: p.minLength ?? null,
    maxLength: p.maxLength ?? null,
    pattern: p.pattern === undefined ? null : perlToJs(p.pattern),
    requires: p.requires ?? null,
    default_key: p.default_key === 1,
    items: p.items ? normaliseSchema(p.items) : null,
    format:
      p.format === undefined
        ? null
        : typeof p.format === "string"
          ? p.format
          : Object.fromEntries(Object.entries(p.format).map(([k, v]) => [k, normaliseSchema(v)])),
  };
}

function normaliseDecl(d: PropertyDecl | SubKeyDecl | AliasDecl): unknown {
  if ("alias" in d) return { alias: d.alias, keyAlias: d.keyAlias ?? null };
  return {
    type: d.type,
    optional: d.optional === true,
    enum: d.enum ? [...d.enum] : null,
    minimum: d.minimum ?? null,
    maximum: d.maximum ?? null,
    minLength: d.minLength ?? null,
    maxLength: d.maxLength ?? null,
    pattern: d.pattern ?? null,
    requires: d.requires ?? null,
    default_key: "default_key" in d && d.default_key === true,
    items: d.items ? normaliseDecl(d.items) : null,
    format:
      d.format === undefined
        ? null
        : typeof d.format === "string"
          ? d.format
          : Object.fromEntries(Object.entries(d.format as PropertyStringFormat).map(([k, v]) => [k, normaliseDecl(v)])),
  };
}

describe("PVE simulator parameter declarations match the pve-docs 9.1.3 schema", () => {
  const sim = createProxmoxSim({ nodes: 1 });
  const served = sim.routes();

  it("serves only declared endpoints, and declares only served ones", () => {
    expect(served.length).toBeGreaterThan(60);
    expect(new Set(served.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(ENDPOINTS.keys()));
  });

  for (const route of served) {
    const key = `${route.method} ${route.path}`;
    it(`${key}`, () => {
      const real = methods.get(key);
      expect(real, `${key} is not in the schema`).toBeDefined();
      expect(real!.parameters?.additionalProperties ?? 0).toBe(0);
      expect(route.allowtoken !== false).toBe(real!.allowtoken !== 0);
      const realParams = real!.parameters?.properties ?? {};
      expect(Object.keys(route.params).sort()).toEqual(Object.keys(realParams).sort());
      for (const [name, decl] of Object.entries(route.params)) {
        expect(normaliseDecl(decl), `${key} ${name}`).toEqual(normaliseSchema(realParams[name]!));
      }
    });
  }

  it("indexed options accept exactly the real index ranges from the fixture README", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../../shared/fixtures/README.md"), "utf8");
    expect(readme).toContain("QEMU `net`/`ipconfig` 0–31, `ide` 0–3, `sata` 0–5, `scsi` 0–30, `virtio` 0–15; LXC `net` 0–31");
    const ranges: Record<string, number> = { "net[n]": 31, "ipconfig[n]": 31, "ide[n]": 3, "sata[n]": 5, "scsi[n]": 30, "virtio[n]": 15, "mp[n]": 255, "unused[n]": 255 };
    let checked = 0;
    for (const r of served) {
      for (const [name, decl] of Object.entries(r.params)) {
        if (!name.endsWith("[n]")) continue;
        expect(decl.indexMax, `${r.method} ${r.path} ${name}`).toBeDefined();
        if (ranges[name] !== undefined) {
          expect(decl.indexMax, `${r.method} ${r.path} ${name}`).toBe(ranges[name]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("every declared pattern compiles as an anchored JavaScript regex", () => {
    const patterns = new Set<string>();
    const collect = (d: PropertyDecl | SubKeyDecl | AliasDecl) => {
      if ("alias" in d) return;
      if (d.pattern) patterns.add(d.pattern);
      if (d.format && typeof d.format === "object") Object.values(d.format).forEach(collect);
    };
    for (const r of served) Object.values(r.params).forEach(collect);
    for (const p of patterns) expect(() => new RegExp(`^(?:${p})$`)).not.toThrow();
  });
});
