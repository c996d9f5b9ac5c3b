/**
 * The text of `/export` as RouterOS 7 writes it: a header whose date format depends on the version (the reason
 * naive hashing fails), the software id / model / serial lines on RouterBOARDs, then compact sections of
 * non-default values with arguments in alphabetical order, long lines wrapped with ` \` + four spaces.
 */
import { type SettingsPath, SETTINGS_SECTIONS, type TablePath, TABLE_SECTIONS } from "./config";
import { exportHeader } from "./formats";
import { fieldsOf, type InterfaceType, type SimInterface } from "./interfaces";
import type { Row } from "./query";
import type { RouterState } from "./state";
import type { Fields } from "./tables";

export interface ExportOptions {
  showSensitive: boolean;
  /** One full command per line, no sections and no wrapping. */
  terse: boolean;
}

const WRAP_AT = 80;

/** Quotes a value the way the console does; non-ASCII bytes become `\XX`. */
export function quoteValue(value: string): string {
  let escaped = "";
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    if (byte >= 0x80 || byte < 0x20) escaped += `\\${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (ch === '"' || ch === "\\" || ch === "$" || ch === "?") escaped += `\\${ch}`;
    else escaped += ch;
  }
  return /^[A-Za-z0-9_.:/,!@*+-]+$/.test(escaped) ? escaped : `"${escaped}"`;
}

/** `key=value` words of the non-default writable values, alphabetically. */
function args(fields: Fields, values: Row, showSensitive: boolean, skip: ReadonlySet<string> = new Set()): string[] {
  const words: string[] = [];
  for (const name of Object.keys(fields).sort()) {
    const spec = fields[name]!;
    const value = values[name] ?? (spec.exportAlways ? spec.default : undefined);
    if (!spec.writable || skip.has(name) || value === undefined || (value === spec.default && !spec.exportAlways)) continue;
    if (spec.sensitive && !showSensitive) continue;
    const shown = spec.bool ? (value === "true" ? "yes" : "no") : value;
    words.push(`${name}=${quoteValue(shown)}`);
  }
  return words;
}

function wrap(line: string): string[] {
  if (line.length <= WRAP_AT) return [line];
  const words = line.split(" ");
  const lines: string[] = [];
  let current = words.shift()!;
  for (const word of words) {
    if (current.length + 1 + word.length + 2 > WRAP_AT) {
      lines.push(`${current} \\`);
      current = `    ${word}`;
    } else current += ` ${word}`;
  }
  lines.push(current);
  return lines;
}

class ExportWriter {
  readonly lines: string[] = [];

  constructor(private readonly options: ExportOptions) {}

  section(path: string, commands: string[]): void {
    if (commands.length === 0) return;
    if (this.options.terse) {
      for (const command of commands) this.lines.push(`${path} ${command}`);
      return;
    }
    this.lines.push(path);
    for (const command of commands) this.lines.push(...wrap(command));
  }
}

function interfaceSection(state: RouterState, type: InterfaceType, options: ExportOptions): string[] {
  const fields = fieldsOf(type);
  return state.interfaces.ofType(type).flatMap((iface: SimInterface) => {
    if (iface.defaultName === undefined) return [`add ${args(fields, iface.config, options.showSensitive).join(" ")}`];
    // Built-in ports are only `set`, and only when something differs from the defaults.
    const skip = new Set(iface.config.name === iface.defaultName ? ["name"] : []);
    const words = args(fields, iface.config, options.showSensitive, skip);
    return words.length === 0 ? [] : [`set [ find default-name=${iface.defaultName} ] ${words.join(" ")}`];
  });
}

function tableSection(state: RouterState, path: TablePath, options: ExportOptions): string[] {
  const table = state.tables[path];
  return [...table.stored()].map((row) => `add ${args(table.fields, row, options.showSensitive).join(" ")}`.trimEnd());
}

function settingsSection(state: RouterState, path: SettingsPath, options: ExportOptions): string[] {
  const settings = state.settings[path];
  const words = args(settings.fields, settings.values, options.showSensitive);
  return words.length === 0 ? [] : [`set ${words.join(" ")}`];
}

export function renderExport(state: RouterState, nowMs: number, options: ExportOptions): string {
  const f = state.facts;
  const out = new ExportWriter(options);
  out.lines.push(exportHeader(nowMs, f.version));
  if (!f.model.chr) out.lines.push(`# software id = ${f.softwareId}`, "#", `# model = ${f.model.model}`, `# serial number = ${f.serial}`);
  out.section("/interface bridge", interfaceSection(state, "bridge", options));
  out.section("/interface ethernet", interfaceSection(state, "ether", options));
  out.section("/interface wifi", interfaceSection(state, "wifi", options));
  out.section("/interface wireguard", interfaceSection(state, "wg", options));
  out.section("/interface vlan", interfaceSection(state, "vlan", options));
  const tables: TablePath[] = ["interface/list", "interface/bridge/port", "interface/list/member", "interface/wireguard/peers", "ip/address"];
  for (const path of tables) out.section(TABLE_SECTIONS[path], tableSection(state, path, options));
  out.section(SETTINGS_SECTIONS["ip/dns"], settingsSection(state, "ip/dns", options));
  for (const path of ["ip/firewall/address-list", "ip/firewall/filter", "ip/firewall/nat", "ip/route"] as const) {
    out.section(TABLE_SECTIONS[path], tableSection(state, path, options));
  }
  for (const path of ["system/clock", "system/identity", "system/note", "system/ntp/client"] as const) {
    out.section(SETTINGS_SECTIONS[path], settingsSection(state, path, options));
  }
  return `${out.lines.join("\n")}\n`;
}
