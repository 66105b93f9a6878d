#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a checkout needs no compile step before using it.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
