// Filled in by scripts/build through --define; the fallbacks serve `bun src/main.ts` in development.
declare const COORD_VERSION: string | undefined;
declare const COORD_COMMIT: string | undefined;

export const VERSION = typeof COORD_VERSION === "string" ? COORD_VERSION : "0.0.0-dev";
export const COMMIT = typeof COORD_COMMIT === "string" ? COORD_COMMIT : "unknown";
