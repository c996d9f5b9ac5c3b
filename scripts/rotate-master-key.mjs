// Local master-key rotation: the current OUTPOST_MASTER_KEY becomes OUTPOST_MASTER_KEY_PREVIOUS, a fresh key becomes
// current, and (with --apply, against a running `npm start`) Outpost re-wraps every data key with it.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseDevVars } from "./dev-vars.mjs";

const PATH = ".dev.vars";
const BASE = process.env.OUTPOST_URL ?? "http://127.0.0.1:8787";

const text = readFileSync(PATH, "utf8");
const vars = parseDevVars(text);
if (!vars.OUTPOST_MASTER_KEY) {
  console.error(`${PATH} has no OUTPOST_MASTER_KEY; run npm start once first.`);
  process.exit(1);
}
const apply = process.argv.includes("--apply");
if (vars.OUTPOST_MASTER_KEY_PREVIOUS) {
  // Rotating again before the last rotation was applied would lose the key that still wraps the data keys.
  console.log(`${PATH} already holds OUTPOST_MASTER_KEY_PREVIOUS: a rotation is in progress, no new key made.`);
} else {
  const kept = text.split("\n").filter((l) => l.trim() !== "" && !/^\s*OUTPOST_MASTER_KEY\s*=/.test(l));
  kept.push(`OUTPOST_MASTER_KEY=${randomBytes(32).toString("base64")}`, `OUTPOST_MASTER_KEY_PREVIOUS=${vars.OUTPOST_MASTER_KEY}`);
  writeFileSync(PATH, kept.join("\n") + "\n", { mode: 0o600 });
  console.log(`${PATH}: new OUTPOST_MASTER_KEY set; the old one is kept as OUTPOST_MASTER_KEY_PREVIOUS.`);
}
if (!apply) {
  console.log("Restart Outpost so it loads the new key, then run: npm run rotate-master-key -- --apply");
  process.exit(0);
}

async function call(path, init) {
  const res = await fetch(BASE + path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const deadline = Date.now() + 30_000;
for (;;) {
  try {
    const login = await call("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: process.env.OUTPOST_ADMIN ?? "admin", password: vars.INITIAL_ADMIN_PASSWORD }),
    });
    const result = await call("/api/v1/admin/rotate-master-key", { method: "POST", headers: { authorization: `Bearer ${login.access_token}` } });
    console.log(`Re-wrapped ${result.rewrapped} data keys with ${result.master_key_id}; ${result.remaining} remaining.`);
    if (result.remaining === 0) console.log(`Done: remove OUTPOST_MASTER_KEY_PREVIOUS from ${PATH} when convenient.`);
    break;
  } catch (err) {
    if (Date.now() > deadline) throw err;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
