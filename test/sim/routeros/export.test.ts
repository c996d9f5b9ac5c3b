/** `/export` to a file, `file/read` in chunks, file deletion, and the export text itself. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createRouterFleet, type RouterSim } from "./index";
import { rest } from "./testing";

function lab() {
  const clock = new SimClock("manual", Date.UTC(2026, 0, 15, 10, 30, 0));
  const fleet = createRouterFleet({ routers: 40, seed: 3, clock });
  const pick = (test: (r: RouterSim) => boolean) => {
    const found = fleet.routers.find(test);
    if (!found) throw new Error("the lab seed has no such router");
    return found;
  };
  return { clock, fleet, pick };
}

const minor = (r: RouterSim) => Number(r.version.split(".")[1]);

async function exportToFile(router: RouterSim, name: string, extra: Record<string, string> = {}) {
  return rest(router, "POST", "/export", { json: { file: name, ...extra } });
}

async function readAll(router: RouterSim, file: string, chunkSize: number): Promise<{ text: string; reads: number }> {
  let offset = 0;
  let text = "";
  for (let reads = 1; ; reads++) {
    const r = await rest(router, "POST", "/file/read", { json: { file, "chunk-size": String(chunkSize), offset: String(offset) } });
    expect(r.status).toBe(200);
    const data: string = r.body[0].data;
    if (data === "") return { text, reads };
    text += data;
    offset += new TextEncoder().encode(data).length;
  }
}

describe("RouterOS export", () => {
  it("writes the header in the date format of the router's version", () => {
    const { pick } = lab();
    const legacy = pick((r) => minor(r) <= 9);
    const modern = pick((r) => minor(r) >= 10);
    expect(legacy.exportText().split("\n")[0]).toBe(`# jan/15/2026 10:30:00 by RouterOS ${legacy.version}`);
    expect(modern.exportText().split("\n")[0]).toBe(`# 2026-01-15 10:30:00 by RouterOS ${modern.version}`);
  });

  it("names software id, model and serial on RouterBOARDs but not on CHR, then sections", () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    const lines = rb.exportText().split("\n");
    expect(lines.slice(1, 5)).toEqual([expect.stringMatching(/^# software id = [A-Z0-9]{4}-[A-Z0-9]{4}$/), "#", expect.stringMatching(/^# model = \S/), `# serial number = ${rb.serialNumber}`]);
    expect(lines).toContain("/ip address");
    expect(lines).toContain("/ip firewall filter");
    expect(lines).toContain(`set name=${rb.name}`);
    const chr = pick((r) => r.isChr);
    expect(chr.exportText().split("\n")[1]).toMatch(/^\//);
  });

  it("changes the header with the time and the body with a configuration change", () => {
    const { pick, clock } = lab();
    const rb = pick((r) => !r.isChr);
    const body = (text: string) => text.split("\n").slice(1).join("\n");
    const first = rb.exportText();
    clock.advance(3_600_000);
    const second = rb.exportText();
    expect(second).not.toBe(first);
    expect(body(second)).toBe(body(first));
    rb.changeConfig("block a scanner");
    const third = rb.exportText();
    expect(body(third)).not.toBe(body(first));
    expect(third).toContain('add address=198.51.100.');
    expect(third).toContain('comment="block a scanner" list=changes');
  });

  it("hides secrets unless show-sensitive, which needs the sensitive policy", async () => {
    const { pick } = lab();
    const rb = pick((r) => r.interfaceNames().includes("wg0"));
    expect(rb.exportText()).not.toContain("private-key");
    expect(rb.exportText({ showSensitive: true })).toMatch(/private-key="[A-Za-z0-9+/]{43}="/);
    rb.addUser("backup", "pw", ["read", "write", "ftp", "test", "api", "rest-api"]);
    const r = await rest(rb, "POST", "/export", { as: { username: "backup", password: "pw" }, json: { file: "b", "show-sensitive": "" } });
    expect([r.status, r.body.detail]).toEqual([500, "not enough permissions (9)"]);
    expect((await rest(rb, "POST", "/export", { as: { username: "backup", password: "pw" }, json: { file: "b" } })).status).toBe(200);
    await exportToFile(rb, "secret", { "show-sensitive": "" });
    expect((await readAll(rb, "secret.rsc", 32768)).text).toContain("private-key=");
  });
});

describe("RouterOS export file and file/read", () => {
  it("writes <file>.rsc with CRLF line ends, lists it, reads it back in chunks and deletes it", async () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    const exported = await exportToFile(rb, "backup");
    expect([exported.status, exported.body]).toEqual([200, []]);
    const listed = (await rest(rb, "GET", "/file", { query: { name: "backup.rsc" } })).body;
    expect(listed).toEqual([expect.objectContaining({ name: "backup.rsc", type: "script" })]);
    const size = Number(listed[0].size);
    const whole = await readAll(rb, "backup.rsc", 32768);
    expect(whole.reads).toBe(2);
    expect(new TextEncoder().encode(whole.text).length).toBe(size);
    expect(whole.text).toBe(rb.exportText().replace(/\n/g, "\r\n"));
    const chunked = await readAll(rb, "backup.rsc", 100);
    expect(chunked.text).toBe(whole.text);
    expect(chunked.reads).toBe(Math.ceil(size / 100) + 1);
    const del = await rest(rb, "DELETE", "/file/backup.rsc");
    expect(del.status).toBe(204);
    expect(rb.fileNames()).not.toContain("backup.rsc");
  });

  it("keeps a name that already ends in .rsc and overwrites an existing file", async () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    await exportToFile(rb, "x.rsc");
    rb.changeConfig("second");
    await exportToFile(rb, "x.rsc");
    expect(rb.fileNames().filter((n) => n.startsWith("x"))).toEqual(["x.rsc"]);
    expect((await readAll(rb, "x.rsc", 32768)).text).toContain("second");
  });

  it("refuses reads past the end, bad chunk sizes, missing files and missing arguments", async () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    await exportToFile(rb, "b");
    const size = Number((await rest(rb, "GET", "/file/b.rsc")).body.size);
    const read = (args: Record<string, string>) => rest(rb, "POST", "/file/read", { json: args });
    expect((await read({ file: "b.rsc", "chunk-size": "10", offset: String(size) })).body).toEqual([{ data: "" }]);
    expect((await read({ file: "b.rsc", "chunk-size": "10", offset: String(size + 1) })).body.detail).toBe("failure: chunk out of file bounds");
    expect((await read({ file: "b.rsc", "chunk-size": "65536", offset: "0" })).body.detail).toBe("failure: invalid chunk size");
    expect((await read({ file: "nope.rsc", "chunk-size": "10", offset: "0" })).body.detail).toBe("failure: file not found");
    expect((await read({ "chunk-size": "10" })).body.detail).toBe("missing =file=");
    expect((await read({ file: "b.rsc", "chunk-size": "10", colour: "x" })).body.detail).toBe("unknown parameter colour");
  });

  it("writes nothing for an export without file, and needs the ftp policy for files", async () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    const before = rb.fileNames();
    expect((await rest(rb, "POST", "/export", { json: {} })).body).toEqual([]);
    expect(rb.fileNames()).toEqual(before);
    expect((await rest(rb, "POST", "/file/read", { as: "poll", json: { file: "x", "chunk-size": "10" } })).body.detail).toBe("not enough permissions (9)");
  });

  it("exports terse lines with their full menu path", async () => {
    const { pick } = lab();
    const rb = pick((r) => !r.isChr);
    await exportToFile(rb, "t", { terse: "" });
    const text = (await readAll(rb, "t.rsc", 32768)).text;
    expect(text).toContain(`/system identity set name=${rb.name}\r\n`);
    expect(text.split("\r\n").filter((l) => l.startsWith("    "))).toEqual([]);
  });
});
