/** The NetBox releases the simulator can behave as (API-Version header values). */
export type NetboxVersion = "4.2" | "4.4" | "4.5" | "4.6";

const ORDER: Record<NetboxVersion, number> = { "4.2": 42, "4.4": 44, "4.5": 45, "4.6": 46 };

export const atLeast = (version: NetboxVersion, min: NetboxVersion) => ORDER[version] >= ORDER[min];

/** Full release strings the status endpoint reports per simulated version. */
export const FULL_VERSION: Record<NetboxVersion, string> = { "4.2": "4.2.9", "4.4": "4.4.9", "4.5": "4.5.9", "4.6": "4.6.8" };
