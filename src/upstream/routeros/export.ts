/**
 * Export normalisation for hashing and diffing (spec §1.4): the export header carries the export time in one
 * of two date formats (or `1970-…` after a clock reset, or redacted `____-__-__`), so two exports of an unchanged
 * router differ in their first line. The raw export stays the stored artifact; only the normalised text is hashed.
 */

/** The first-line header in any of its date forms: `# <date> <time> by RouterOS <version>`. */
const HEADER = /^# \S+ \S+ by RouterOS .*$/;
/** Lines that describe the hardware, not the configuration. */
const HARDWARE_LINE = /^# (software id|model|serial number) =/;

export function normalizeExport(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 0 && HEADER.test(lines[0]!)) lines.shift();
  const out: string[] = [];
  for (const raw of lines) {
    if (HARDWARE_LINE.test(raw)) continue;
    const line = raw.trimEnd();
    if (line === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** SHA-256 (lower-case hex) of the normalised export: equal for exports of an unchanged configuration. */
export async function exportHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalizeExport(text)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
