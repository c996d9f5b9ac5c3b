/** `extras`: tags, custom fields, webhooks, event rules and journal entries (NetBox 4.6 serializers). */
import * as f from "../engine/fields";
import type { DbView, ModelDef, Row } from "../engine/types";
import { baseFilters, bool, choice as choiceFilter, int, nameSlugFilters, rowName, str } from "./common";

export const tag: ModelDef = {
  ctype: "extras.tag",
  path: "extras/tags",
  objectName: "Tag",
  verboseName: "tag",
  fields: {
    ...f.head(),
    name: f.name(100, { unique: true }),
    slug: f.slug(100, { unique: true }),
    color: f.color(),
    description: f.description(),
    weight: f.int({ nullable: false, default: 1000, min: 0, max: 32767, since: "4.4" }),
    object_types: f.ctypes(),
    tagged_items: { kind: "count", readOnly: true, nested: "omit", count: (row, db) => taggedItems(row, db) },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
  },
  brief: ["id", "url", "display", "name", "slug", "color", "description"],
  display: rowName,
  ordering: ["weight", "name"],
  filters: { ...baseFilters({ tags: false }), ...nameSlugFilters(), color: str("color") },
  search: ["name", "slug", "description"],
  features: { tags: false, customFields: false, events: false },
};

/** Items carrying a tag, summed over every taggable model's tag index. */
function taggedItems(row: Row, db: DbView): number {
  let n = 0;
  for (const ctype of TAGGABLE) if (db.has(ctype)) n += db.m2mReferrers(ctype, "tags", row.id).size;
  return n;
}

/** Filled in by the registry (models/index.ts) once all models are known. */
export const TAGGABLE: string[] = [];

const CF_TYPES = [
  ["text", "Text"],
  ["longtext", "Text (long)"],
  ["integer", "Integer"],
  ["decimal", "Decimal"],
  ["boolean", "Boolean (true/false)"],
  ["date", "Date"],
  ["datetime", "Date & time"],
  ["url", "URL"],
  ["json", "JSON"],
  ["select", "Selection"],
  ["multiselect", "Multiple selection"],
  ["object", "Object"],
  ["multiobject", "Multiple objects"],
] as const;

const NUMERIC = new Set(["integer", "decimal"]);
const SELECTION = new Set(["select", "multiselect"]);
const OBJECT = new Set(["object", "multiobject"]);

export const customField: ModelDef = {
  ctype: "extras.customfield",
  path: "extras/custom-fields",
  objectName: "CustomField",
  verboseName: "custom field",
  fields: {
    ...f.head(),
    object_types: { kind: "ctypes", required: true, default: () => [] },
    type: f.choice(CF_TYPES, { default: "text" }),
    related_object_type: f.ctype(),
    data_type: f.computed((row) => (row.type === "integer" ? "integer" : row.type === "decimal" ? "decimal" : row.type === "boolean" ? "boolean" : row.type === "json" || row.type === "object" ? "object" : row.type === "multiselect" || row.type === "multiobject" ? "array" : "string")),
    name: f.name(50, { unique: true }),
    label: f.str(50),
    group_name: f.str(50),
    description: f.description(),
    required: f.bool(false),
    unique: f.bool(false),
    search_weight: f.int({ nullable: false, default: 1000, min: 0, max: 32767 }),
    filter_logic: f.choice(
      [
        ["disabled", "Disabled"],
        ["loose", "Loose"],
        ["exact", "Exact"],
      ],
      { default: "loose" },
    ),
    ui_visible: f.choice(
      [
        ["always", "Always"],
        ["if-set", "If set"],
        ["hidden", "Hidden"],
      ],
      { default: "always" },
    ),
    ui_editable: f.choice(
      [
        ["yes", "Yes"],
        ["no", "No"],
        ["hidden", "Hidden"],
      ],
      { default: "yes" },
    ),
    is_cloneable: f.bool(false),
    default: f.json(),
    related_object_filter: f.json(),
    weight: f.int({ nullable: false, default: 100, min: 0, max: 32767 }),
    validation_minimum: f.num(),
    validation_maximum: f.num(),
    validation_regex: f.str(500),
    validation_schema: f.json({ since: "4.6" }),
    choice_set: f.fk("extras.customfieldchoiceset", "protect"),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
  },
  brief: ["id", "url", "display", "name", "description"],
  display: (row) => String(row.label || row.name),
  ordering: ["group_name", "weight", "name"],
  filters: {
    ...baseFilters({ tags: false }),
    name: str("name"),
    label: str("label"),
    group_name: str("group_name"),
    description: str("description"),
    type: choiceFilter("type"),
    required: bool("required"),
    unique: bool("unique"),
    weight: int("weight"),
  },
  search: ["name", "label", "description"],
  clean: (row) => {
    const name = String(row.name);
    if (!/^[a-z0-9_]+$/i.test(name)) return { name: ["Only alphanumeric characters and underscores are allowed."] };
    if (name.includes("__")) return { name: ["Double underscores are not permitted in custom field names."] };
    const type = String(row.type);
    if (!NUMERIC.has(type) && row.validation_minimum !== null) return { validation_minimum: ["A minimum value may be set only for numeric fields"] };
    if (!NUMERIC.has(type) && row.validation_maximum !== null) return { validation_maximum: ["A maximum value may be set only for numeric fields"] };
    if (row.validation_regex && !["text", "longtext", "url"].includes(type)) return { validation_regex: ["Regular expression validation is supported only for text and URL fields"] };
    if (row.unique && type === "boolean") return { unique: ["Uniqueness cannot be enforced for boolean fields"] };
    if (SELECTION.has(type) && row.choice_set === null) return { choice_set: ["Selection fields must specify a set of choices."] };
    if (OBJECT.has(type) && row.related_object_type === null) return { related_object_type: ["Object fields must define an object type."] };
    if (!OBJECT.has(type) && row.related_object_type !== null) return { type: [`${CF_TYPES.find(([v]) => v === type)![1]} fields may not define an object type.`] };
    return null;
  },
  features: { tags: false, customFields: false, events: false },
};

export const webhook: ModelDef = {
  ctype: "extras.webhook",
  path: "extras/webhooks",
  objectName: "Webhook",
  verboseName: "webhook",
  fields: {
    ...f.head(),
    name: f.name(150, { unique: true }),
    description: f.description(),
    payload_url: { kind: "str", maxLength: 500, required: true },
    http_method: { kind: "str", choices: ["GET", "POST", "PUT", "PATCH", "DELETE"], default: "POST" },
    http_content_type: { kind: "str", maxLength: 100, default: "application/json" },
    additional_headers: f.text(),
    body_template: f.text(),
    secret: f.str(255),
    ssl_verification: f.bool(true),
    ca_file_path: f.str(4096, { nullable: true }),
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    tags: { kind: "tags", default: () => [] },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
  },
  brief: ["id", "url", "display", "name", "description"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), name: str("name"), description: str("description"), http_method: str("http_method"), ssl_verification: bool("ssl_verification") },
  search: ["name", "payload_url", "description"],
  features: { tags: true, customFields: true, events: false },
};

export const EVENT_TYPES = ["object_created", "object_updated", "object_deleted", "job_started", "job_completed", "job_failed", "job_errored"];

export const eventRule: ModelDef = {
  ctype: "extras.eventrule",
  path: "extras/event-rules",
  objectName: "EventRule",
  verboseName: "event rule",
  fields: {
    ...f.head(),
    object_types: { kind: "ctypes", required: true, default: () => [] },
    name: f.name(150, { unique: true }),
    enabled: f.bool(true),
    event_types: { kind: "strs", choices: EVENT_TYPES, required: true, default: () => [] },
    conditions: f.json(),
    action_type: f.choice(
      [
        ["webhook", "Webhook"],
        ["script", "Script"],
        ["notification", "Notification"],
      ],
      { default: "webhook" },
    ),
    action_object_type: { kind: "ctype", required: true, allowed: ["extras.webhook"] },
    action_object_id: f.int({ min: 0 }),
    action_object: f.gfk("action_object_type", "action_object_id"),
    description: f.description(),
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    tags: { kind: "tags", default: () => [] },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
  },
  brief: ["id", "url", "display", "name", "description"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), name: str("name"), description: str("description"), enabled: bool("enabled"), action_type: str("action_type") },
  search: ["name", "description"],
  genericFks: [{ typeField: "action_object_type", idField: "action_object_id", allowed: ["extras.webhook"], required: true, onDelete: "cascade" }],
  clean: (row) => ((row.event_types as string[]).length === 0 ? { event_types: ["This field is required."] } : null),
  features: { tags: true, customFields: true, events: false },
};

/** Object types a journal entry may be attached to: every model with journaling (filled in by the registry). */
export const JOURNALED: string[] = [];

export const journalEntry: ModelDef = {
  ctype: "extras.journalentry",
  path: "extras/journal-entries",
  objectName: "JournalEntry",
  verboseName: "journal entry",
  fields: {
    ...f.head(),
    assigned_object_type: { kind: "ctype", required: true, allowed: JOURNALED },
    assigned_object_id: { kind: "int", required: true, min: 0, max: 9223372036854775807 },
    assigned_object: f.gfk("assigned_object_type", "assigned_object_id"),
    created: { kind: "timestamp", readOnly: true },
    created_by: f.fk("users.user", "set_null"),
    kind: f.choice(
      [
        ["info", "Info"],
        ["success", "Success"],
        ["warning", "Warning"],
        ["danger", "Danger"],
      ],
      { default: "info" },
    ),
    comments: { kind: "str", required: true },
    tags: { kind: "tags", default: () => [] },
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    last_updated: { kind: "timestamp", readOnly: true },
  },
  brief: ["id", "url", "display", "created"],
  // `JournalEntry.__str__`: short date-time and the kind's label.
  display: (row) => `${typeof row.created === "number" ? new Date(row.created / 1000).toISOString().slice(0, 16).replace("T", " ") : ""} (${String(row.kind).charAt(0).toUpperCase()}${String(row.kind).slice(1)})`,
  ordering: ["-created"],
  filters: {
    ...baseFilters({ created: false }),
    assigned_object_id: int("assigned_object_id"),
    kind: choiceFilter("kind"),
  },
  search: ["comments"],
  genericFks: [{ typeField: "assigned_object_type", idField: "assigned_object_id", allowed: JOURNALED, required: true, onDelete: "cascade" }],
  features: { tags: true, customFields: true, events: true },
};

export const extrasModels = [tag, customField, webhook, eventRule, journalEntry];
