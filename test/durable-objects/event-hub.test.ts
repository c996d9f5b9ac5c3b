import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EventHub } from "../../src/poll/event-hub";

const hub = (tenant: string) => env.EVENT_HUB.get(env.EVENT_HUB.idFromName(tenant)) as DurableObjectStub<EventHub>;

async function readFrames(stream: ReadableStream<Uint8Array>, count: number): Promise<string[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.split("\n\n").filter((f) => f.startsWith("id: ")).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  reader.cancel().catch(() => undefined);
  return text.split("\n\n").filter((f) => f.startsWith("id: "));
}

describe("EventHub", () => {
  it("fans published events out live to every subscriber", async () => {
    const h = hub("tenant-1");
    const a = await h.fetch("http://hub/events");
    const b = await h.fetch("http://hub/events");
    expect(a.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await h.publish("device_status", { device: 1, status: "online" });
    await h.publish("alert_fired", { rule: "cpu" });
    for (const res of [a, b]) {
      const frames = await readFrames(res.body!, 2);
      expect(frames[0]).toBe('id: 1\nevent: device_status\ndata: {"device":1,"status":"online"}');
      expect(frames[1]).toContain("event: alert_fired");
    }
  });

  it("replays what a reconnecting client missed", async () => {
    const h = hub("tenant-2");
    for (let i = 1; i <= 3; i++) await h.publish("tick", { i });
    const res = await h.fetch("http://hub/events", { headers: { "last-event-id": "1" } });
    const frames = await readFrames(res.body!, 2);
    expect(frames.map((f) => f.split("\n")[0])).toEqual(["id: 2", "id: 3"]);
  });

  it("keeps tenants apart", async () => {
    await hub("tenant-3").publish("secret", { x: 1 });
    const res = await hub("tenant-4").fetch("http://hub/events", { headers: { "last-event-id": "0" } });
    await hub("tenant-4").publish("mine", { y: 2 });
    const frames = await readFrames(res.body!, 1);
    expect(frames[0]).toContain("event: mine");
  });
});
