/**
 * `npm run build`: writes dist/<function>.zip for every Lambda under lambda-src/, and the operator
 * CLI's single-file bundle dist/jwt-api-admin.mjs.
 * `npm run build -- --check`: writes nothing; exits 1 when a committed zip or the bundle is stale.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { buildAllPackages, buildCliBundle, cliBundlePath, comparePackages, packagesDir } from "./lambda-packages.ts";

const { values } = parseArgs({
  options: { check: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
});

if (values.help) {
  console.log(
    "Usage: npm run build [-- --check]\n\n  --check  compare dist/*.zip with a fresh build; exit 1 when any is stale",
  );
  process.exit(0);
}

const packages = await buildAllPackages();
const { stale, orphaned } = await comparePackages(packages);
const cliBundle = await buildCliBundle();
const committedCli = await readFile(cliBundlePath).catch(() => undefined);
const cliStale = committedCli === undefined || !Buffer.from(cliBundle).equals(committedCli);

if (values.check) {
  if (stale.length + orphaned.length > 0 || cliStale) {
    const problems = [
      ...stale,
      ...orphaned.map((zip) => `${zip} (no source under lambda-src/)`),
      ...(cliStale ? [basename(cliBundlePath)] : []),
    ];
    console.error(`Stale packages: ${problems.join(", ")}. Run \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log(`Lambda packages (${packages.length}) and the CLI bundle are up to date.`);
} else {
  await mkdir(packagesDir, { recursive: true });
  for (const zip of orphaned) await rm(join(packagesDir, zip));
  for (const pkg of packages) {
    await writeFile(pkg.zipPath, pkg.bytes);
    console.log(
      `${basename(pkg.zipPath).padEnd(24)} ${String(pkg.bytes.length).padStart(9)} bytes  ${pkg.files.join(", ")}`,
    );
  }
  await writeFile(cliBundlePath, cliBundle, { mode: 0o755 });
  console.log(`${basename(cliBundlePath).padEnd(24)} ${String(cliBundle.length).padStart(9)} bytes`);
}
