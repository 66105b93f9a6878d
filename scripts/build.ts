/**
 * `npm run build`: writes dist/<function>.zip for every Lambda under lambda-src/.
 * `npm run build -- --check`: writes nothing; exits 1 when a committed zip is stale.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { buildAllPackages, comparePackages, packagesDir } from "./lambda-packages.ts";

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

if (values.check) {
  if (stale.length + orphaned.length > 0) {
    const problems = [...stale, ...orphaned.map((zip) => `${zip} (no source under lambda-src/)`)];
    console.error(`Stale Lambda packages: ${problems.join(", ")}. Run \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log(`Lambda packages are up to date (${packages.length}).`);
} else {
  await mkdir(packagesDir, { recursive: true });
  for (const zip of orphaned) await rm(join(packagesDir, zip));
  for (const pkg of packages) {
    await writeFile(pkg.zipPath, pkg.bytes);
    console.log(
      `${basename(pkg.zipPath).padEnd(24)} ${String(pkg.bytes.length).padStart(9)} bytes  ${pkg.files.join(", ")}`,
    );
  }
}
