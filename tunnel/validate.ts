/** `npm run tunnel:validate [config.yml]`: checks a cloudflared config the way cloudflared would. */
import { readFileSync } from "node:fs";
import { validateCloudflaredConfig } from "./cloudflared-config";

const file = process.argv[2] ?? "tunnel/config.example.yml";
const { errors, warnings } = validateCloudflaredConfig(readFileSync(file, "utf8"));
for (const w of warnings) console.log(`warning: ${w}`);
for (const e of errors) console.log(`error: ${e}`);
console.log(errors.length === 0 ? `${file}: OK` : `${file}: ${errors.length} error(s)`);
process.exitCode = errors.length === 0 ? 0 : 1;
