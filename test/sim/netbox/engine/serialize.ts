/**
 * Renders rows the way NetBox 4.x serialises them: `id/url/display_url/display`, choices as `{value,label}`
 * (null when blank), foreign keys as the target's brief representation (related-object counts dropped, as in a
 * nested serializer), tags as nested tag objects, `custom_fields` with every field of the object type, and
 * `brief`/`fields`/`omit` selections. Also renders Django's `serialize_object` snapshots for webhooks.
 */
import { atLeast } from "../version";
import { customFieldsFor } from "./custom-fields";
import type { Database } from "./db";
import { djangoJsonDateTime, drfDateTime } from "./time";
import type { FieldDef, ModelDef, RenderContext, Row } from "./types";

export type Selection = { kind: "full" } | { kind: "brief" } | { kind: "fields"; names: readonly string[] } | { kind: "omit"; names: readonly string[] };

export const apiUrl = (ctx: RenderContext, model: ModelDef, id: number) => `${ctx.origin}/api/${model.path}/${id}/`;
const uiUrl = (ctx: RenderContext, model: ModelDef, id: number) => `${ctx.origin}/${model.path}/${id}/`;

export function fieldVisible(def: FieldDef, ctx: { version: RenderContext["version"] }): boolean {
  return !def.since || atLeast(ctx.version, def.since);
}

type Plan = ReadonlyArray<readonly [string, FieldDef]>;

export class Serializer {
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly db: Database) {}

  /** The fields a rendering shows, in serializer order (cached per model, version and field list). */
  private plan(model: ModelDef, names: readonly string[] | null, nested: boolean): Plan {
    const key = `${model.ctype}|${nested ? "n" : "t"}|${names ? names.join(",") : "*"}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const wanted = names ? new Set(names) : null;
      plan = Object.entries(model.fields).filter(([name, def]) => (!wanted || wanted.has(name)) && fieldVisible(def, this.db) && !def.writeOnly && !(nested && def.kind === "count" && def.nested === "omit"));
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** The top-level rendering of one row. */
  render(model: ModelDef, row: Row, ctx: RenderContext, selection: Selection = { kind: "full" }): Record<string, unknown> {
    const names = selection.kind === "brief" ? model.brief : selection.kind === "fields" ? selection.names : null;
    const omit = selection.kind === "omit" ? new Set(selection.names) : null;
    const out: Record<string, unknown> = {};
    for (const [name, def] of this.plan(model, names, false)) {
      if (omit?.has(name)) continue;
      out[name] = this.value(model, row, name, def, ctx);
    }
    return out;
  }

  /** A related object as a nested serializer shows it: brief fields without related-object counts. */
  nested(model: ModelDef, row: Row, ctx: RenderContext, fields?: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, def] of this.plan(model, fields ?? model.brief, true)) {
      out[name] = def.kind === "count" ? 0 : this.value(model, row, name, def, ctx);
    }
    return out;
  }

  private related(ctype: string, id: unknown, ctx: RenderContext, fields?: readonly string[]): Record<string, unknown> | null {
    if (typeof id !== "number" || !this.db.has(ctype)) return null;
    const target = this.db.get(ctype, id);
    return target ? this.nested(this.db.model(ctype), target, ctx, fields) : null;
  }

  private value(model: ModelDef, row: Row, name: string, def: FieldDef, ctx: RenderContext): unknown {
    if (name === "url") return apiUrl(ctx, model, row.id);
    if (name === "display_url") return uiUrl(ctx, model, row.id);
    if (name === "display") return model.display(row, this.db);
    const v = row[name];
    switch (def.kind) {
      case "choice": {
        if (v === null || v === undefined || v === "") return null;
        const label = def.choices.find(([value]) => value === v)?.[1] ?? "";
        return { value: v, label };
      }
      case "fk": {
        if (!def.renderWith) return this.related(def.to, v, ctx, def.render);
        const target = typeof v === "number" && this.db.has(def.to) ? this.db.get(def.to, v) : undefined;
        return target ? def.renderWith(target, ctx) : null;
      }
      case "m2m":
        return ((v as number[]) ?? []).map((id) => this.related(def.to, id, ctx)).filter((x) => x !== null);
      case "tags":
        return this.tags(v as number[], ctx);
      case "custom_fields":
        return this.customFields(model, v as Record<string, unknown>, ctx);
      case "gfk":
        return this.related(row[def.typeField] as string, row[def.idField], ctx);
      case "count":
        return def.count(row, this.db);
      case "computed":
        return def.compute(row, this.db, { ...ctx, nest: (ctype, id, fields) => this.related(ctype, id, ctx, fields) });
      case "timestamp":
      case "datetime":
        return typeof v === "number" ? drfDateTime(v) : null;
      case "ctypes":
      case "strs":
        return [...((v as string[]) ?? [])];
      default:
        return v === undefined ? null : v;
    }
  }

  tagRows(ids: readonly number[]): Row[] {
    return ids
      .map((id) => this.db.get("extras.tag", id))
      .filter((t): t is Row => t !== undefined)
      .sort((a, b) => (a.weight as number) - (b.weight as number) || String(a.name).localeCompare(String(b.name)));
  }

  private tags(ids: readonly number[], ctx: RenderContext): unknown[] {
    const tagModel = this.db.model("extras.tag");
    return this.tagRows(ids ?? []).map((t) => ({
      id: t.id,
      url: apiUrl(ctx, tagModel, t.id),
      display_url: uiUrl(ctx, tagModel, t.id),
      display: t.name,
      name: t.name,
      slug: t.slug,
      color: t.color,
    }));
  }

  private customFields(model: ModelDef, data: Record<string, unknown>, ctx: RenderContext): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const cf of customFieldsFor(this.db, model.ctype)) {
      const raw = data?.[cf.name] ?? null;
      if (raw !== null && cf.type === "object" && cf.relatedObjectType) out[cf.name] = this.related(cf.relatedObjectType, raw, ctx);
      else if (raw !== null && cf.type === "multiobject" && cf.relatedObjectType) {
        const list = (raw as number[]).map((id) => this.related(cf.relatedObjectType!, id, ctx)).filter((x) => x !== null);
        out[cf.name] = list.length ? list : null;
      } else out[cf.name] = raw;
    }
    return out;
  }

  /** Django's `serialize_object()`: raw FK ids, raw choice values, sorted tag names, `custom_fields` as stored. */
  snapshot(model: ModelDef, row: Row): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(model.fields)) {
      if (name === "id" || name === "url" || name === "display_url" || name === "display") continue;
      if (def.kind === "computed" || def.kind === "count" || def.kind === "gfk" || def.writeOnly || (def.readOnly && def.kind !== "timestamp")) continue;
      if (!fieldVisible(def, this.db)) continue;
      const v = row[name];
      if (def.kind === "tags") out.tags = this.tagRows(v as number[]).map((t) => t.name).sort();
      else if (def.kind === "timestamp" || def.kind === "datetime") out[name] = typeof v === "number" ? djangoJsonDateTime(v) : null;
      else if (def.kind === "ctype") out[name] = typeof v === "string" ? contentTypeId(this.db, v) : null;
      else if (Array.isArray(v)) out[name] = [...v];
      else out[name] = v === undefined ? null : v;
    }
    return out;
  }
}

/** Content type ids are the model's position in the registry (Django would number them at migration time). */
export function contentTypeId(db: Database, ctype: string): number | null {
  const i = db.models.findIndex((m) => m.ctype === ctype);
  return i < 0 ? null : i + 1;
}
