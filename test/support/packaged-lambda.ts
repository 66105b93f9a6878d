/**
 * Runs a packaged Lambda (what `npm run build` zips) as Lambda would: a fresh Node process that
 * imports `index.mjs` with the configuration in its environment and answers one event.
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { lambdaNode } from "../../local/lambda/lambda-node.ts";

const invokeScript = `
const { handler } = await import(process.argv[1]);
const outcome = await handler(JSON.parse(process.env.TEST_EVENT)).then(
  (result) => ({ result }),
  (error) => ({ error: error.message }),
);
process.stdout.write("OUTCOME " + JSON.stringify(outcome) + "\\n");
`;

export interface Outcome<Result = unknown> {
  readonly result?: Result;
  readonly error?: string;
}

/** Invokes `<directory>/index.mjs`'s handler once; resolves with what it returned or the message it threw. */
export function runPackagedHandler<Result>(
  directory: string,
  env: Record<string, string>,
  event: unknown,
): Promise<Outcome<Result>> {
  return new Promise((resolve, reject) => {
    const child = spawn(lambdaNode().path, ["--input-type=module", "-e", invokeScript, join(directory, "index.mjs")], {
      env: { ...process.env, ...env, TEST_EVENT: JSON.stringify(event) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("OUTCOME "));
      if (line === undefined) reject(new Error(`the bundle printed no outcome: ${stderr}`));
      else resolve(JSON.parse(line.slice("OUTCOME ".length)) as Outcome<Result>);
    });
  });
}

/**
 * Writes a package's files (from `unzipSync`) into `directory`, those `keep` accepts. The package is
 * ESM by its .mjs names, so no package.json is needed, as on Lambda.
 */
export async function writePackage(
  files: Readonly<Record<string, Uint8Array>>,
  directory: string,
  keep: (path: string) => boolean = () => true,
): Promise<void> {
  for (const [path, bytes] of Object.entries(files)) {
    if (!keep(path)) continue;
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), bytes);
  }
}
