/** The `jwt-api` command (bin/jwt-api.js) on the real process streams. */
import { run } from "./program.ts";

export function main(argv: readonly string[]): Promise<number> {
  return run(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
}
