import pkg from "../package.json";

/** Outpost's release version, from package.json. */
export const VERSION: string = pkg.version;
