/**
 * Every request the typed NetBox client sends matches NetBox's OpenAPI document (4.2.2): a documented path and
 * method, only declared query parameters (plus the allowlisted view parameters of later releases), and request
 * bodies whose fields the operation's schema declares with the right primitive types. Each public client method
 * is driven against the simulator; the test fails if one was not exercised, so a new method cannot escape.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ConnectionLimiter } from "../../src/upstream/limiter";
import { NetboxClient } from "../../src/upstream/netbox";
import { Transport } from "../../src/upstream/transport";
import { createNetboxSim } from "../sim/netbox";

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let doc: OpenApi;
const fixture = path.resolve(import.meta.dirname, "../../../shared/fixtures/netbox-openapi-4.2.2.yaml");

/** View parameters NetBox accepts on every list that drf-spectacular (4.2.2) does not declare. */
const VIEW_PARAMS: Record<string, string> = {
  brief: "brief mode (spec §3)",
  fields: "dynamic field selection (spec §3)",
  omit: "NetBox 4.5.2+ (spec §3)",
  start: "cursor pagination, NetBox 4.6+ (spec §3)",
};

/** Parameters of one operation that its view reads but the document leaves out. */
const OPERATION_PARAMS: Record<string, string> = {
  "GET /api/ipam/prefixes/{id}/available-ips/ limit": "the view reads ?limit= (get_results_limit, spec §8); drf-spectacular does not list it for an APIView",
};

/** Body fields the 4.2.2 document does not describe where NetBox accepts them. */
const BODY_FIELDS: Record<string, string> = {
  id: "bulk PATCH/DELETE items carry the object's id (spec §5; BulkUpdateSchemaMixin documents it from 4.6)",
  prefix_length: "available-ips POST takes prefix_length (spec §8; AvailableIPRequestSerializer)",
};

const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components.schemas[s.$ref.split("/").pop()!]!) : s.allOf?.length === 1 ? { ...deref(s.allOf[0]!), nullable: s.nullable } : s);
const refName = (s: Schema) => (s.$ref ?? s.allOf?.[0]?.$ref)?.split("/").pop() ?? "";

function typeOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
}

function checkFields(item: Record<string, unknown>, schema: Schema, where: string, errors: string[], requireFields: boolean): void {
  const s = deref(schema);
  if (requireFields) for (const r of s.required ?? []) if (!(r in item)) errors.push(`${where}: required field ${r} is missing`);
  for (const [k, v] of Object.entries(item)) {
    const prop = s.properties?.[k];
    if (!prop) {
      if (!BODY_FIELDS[k]) errors.push(`${where}: ${k} is not a property of ${refName(schema)}`);
      continue;
    }
    const p = deref(prop);
    const actual = typeOf(v);
    if (actual === "null" ? !p.nullable : p.type && p.type !== actual && !(p.type === "number" && actual === "integer") && !(/^(Brief|Nested)/.test(refName(prop)) && actual === "integer")) {
      errors.push(`${where}.${k}: ${actual} where the document says ${p.type}${p.nullable ? " (nullable)" : ""}`);
    }
  }
}

interface Sent {
  method: string;
  url: URL;
  body: unknown;
}

function matchPath(pathname: string): string | undefined {
  return Object.keys(doc.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname));
}

describe("NetBox client requests vs the NetBox 4.2.2 OpenAPI document", () => {
  beforeAll(() => {
    doc = YAML.parse(fs.readFileSync(fixture, "utf8")) as OpenApi;
  }, 60_000);

  it("sends only documented paths, methods, query parameters and body fields, from every public method", async () => {
    const sim = createNetboxSim();
    const sent: Sent[] = [];
    const transport = new Transport(
      { label: 'netbox "lab"', scheme: "http", host: "netbox.lab", port: 80, basePath: "", transport: { mode: "direct" }, timeoutMs: 5000, retries: 0, backoffMs: 1 },
      {
        limiter: new ConnectionLimiter(),
        fetch: async (req) => {
          const text = req.method === "GET" ? "" : await req.clone().text();
          sent.push({ method: req.method, url: new URL(req.url), body: text ? JSON.parse(text) : undefined });
          return sim.fetch(req);
        },
      },
    );
    const real = new NetboxClient(transport, { type: "token_v2", key: sim.tokens.v2.key, secret: sim.tokens.v2.secret }, { pageSize: 2, bulkChunkSize: 2 });
    const called = new Set<string>();
    const client = new Proxy(real, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        called.add(String(prop));
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });

    await client.status();
    await client.apiVersion();
    const site = await client.create<{ id: number }>("dcim/sites", { name: "Lab", slug: "lab", status: "active", tags: [] });
    await client.create("virtualization/cluster-types", [{ name: "Proxmox", slug: "proxmox" }]);
    const cluster = await client.create<{ id: number }>("virtualization/clusters", { name: "pve", type: { slug: "proxmox" }, scope_type: "dcim.site", scope_id: site.id });
    const vms = await client.create<{ id: number }>("virtualization/virtual-machines", ["a", "b", "c"].map((name) => ({ name, cluster: cluster.id, vcpus: 1, memory: 512 })));
    for await (const page of client.pages("virtualization/virtual-machines", { cluster_id: cluster.id, tag__n: [] }, { brief: true })) expect(page.length).toBeGreaterThan(0);
    await client.list("virtualization/virtual-machines", { id: vms.map((v) => v.id), name__ic: "a" }, { fields: ["id", "name"], ordering: "-name" });
    await client.list("dcim/sites", { q: "lab" }, { omit: ["custom_fields"] });
    await client.get("virtualization/virtual-machines", vms[0]!.id);
    const { etag } = await client.getWithEtag("virtualization/virtual-machines", vms[0]!.id, { brief: true });
    await client.patch("virtualization/virtual-machines", vms[0]!.id, { memory: 1024, custom_fields: {} }, { ifMatch: etag! });
    await client.update("virtualization/virtual-machines", vms.map((v) => ({ id: v.id, status: "offline" })));
    const prefix = await client.create<{ id: number }>("ipam/prefixes", { prefix: "10.0.0.0/28", status: "active" });
    await client.availableIps(prefix.id, 3);
    await client.allocateIps(prefix.id, [{ description: "gw", status: "reserved" }, { prefix_length: 32, dns_name: "a.lab" }]);
    await client.deleteOne("virtualization/virtual-machines", vms[2]!.id);
    await client.delete("virtualization/virtual-machines", [vms[0]!.id, vms[1]!.id]);

    const methods = Object.getOwnPropertyNames(NetboxClient.prototype).filter((n) => n !== "constructor");
    expect([...called].filter((n) => methods.includes(n)).sort()).toEqual(methods.sort());

    const errors: string[] = [];
    for (const s of sent) {
      const template = matchPath(s.url.pathname);
      const op = template ? doc.paths[template]![s.method.toLowerCase()] : undefined;
      if (!template || !op) {
        errors.push(`${s.method} ${s.url.pathname}: not in the document`);
        continue;
      }
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
      for (const name of new Set(s.url.searchParams.keys())) {
        if (!declared.has(name) && !VIEW_PARAMS[name] && !OPERATION_PARAMS[`${s.method} ${template} ${name}`]) errors.push(`${s.method} ${template}: query parameter ${name} is not declared`);
      }
      if (s.body === undefined) continue;
      const schema = op.requestBody?.content["application/json"]?.schema;
      if (!schema) {
        errors.push(`${s.method} ${template}: sends a body the operation does not take`);
        continue;
      }
      const bulk = s.method !== "POST" || template.endsWith("/available-ips/");
      const items = Array.isArray(s.body) ? (s.body as Record<string, unknown>[]) : [s.body as Record<string, unknown>];
      const itemSchema = deref(schema).type === "array" ? deref(schema).items! : schema;
      // Bulk updates and deletes are partial, and available-ips fills in the address itself (spec §5, §8).
      items.forEach((item, i) => checkFields(item, itemSchema, `${s.method} ${template}[${i}]`, errors, !bulk && s.method === "POST"));
    }
    expect(errors).toEqual([]);
    expect(sent.some((s) => s.url.searchParams.has("start"))).toBe(true);
  });
});
