#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a checkout needs no compile step before using it.
// Outside the checkout (a module pulled by git source) run dist/jwt-api-admin.mjs with plain node.
import { register } from "tsx/esm/api";

register();
await import("../cli/entry.ts");
