import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: scripts/lib/ is two levels below it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
