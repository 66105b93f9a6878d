/** The command's entry point, for bin/jwt-api-admin.js and the single-file bundle dist/jwt-api-admin.mjs. */
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
