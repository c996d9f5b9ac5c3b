/** The model registry: every model the simulator serves, selected by NetBox version and the plugin switch. */
import type { ModelDef } from "../engine/types";
import { atLeast, type NetboxVersion } from "../version";
import { dcimInterface, device, deviceRole, deviceType, macAddress, manufacturer, platform, site } from "./dcim";
import { extrasModels, JOURNALED, TAGGABLE } from "./extras";
import { ipamModels } from "./ipam";
import { pluginModels } from "./plugin";
import { virtualizationModels } from "./virtualization";

export const CORE_MODELS: readonly ModelDef[] = [...extrasModels, site, manufacturer, deviceType, deviceRole, platform, device, dcimInterface, macAddress, ...virtualizationModels, ...ipamModels];
export const PLUGIN_MODELS: readonly ModelDef[] = pluginModels;

// Tag counts and journal entries range over every taggable model, core and plugin alike.
for (const m of [...CORE_MODELS, ...PLUGIN_MODELS]) {
  if (!m.features.tags) continue;
  TAGGABLE.push(m.ctype);
  if (m.features.events && m.ctype !== "extras.journalentry") JOURNALED.push(m.ctype);
}

export function modelsFor(version: NetboxVersion, plugin: boolean): ModelDef[] {
  return [...CORE_MODELS, ...(plugin ? PLUGIN_MODELS : [])].filter((m) => !m.since || atLeast(version, m.since));
}
