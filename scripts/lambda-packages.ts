/**
 * Bundles every Lambda under lambda-src/ with esbuild and packs each bundle into a
 * byte-reproducible zip, so a stack that pulls the module by git source can apply with
 * no Node toolchain and Terraform never sees a diff it did not cause.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { build, stop, type OutputFile } from "esbuild";
import { zipSync, type Zippable, type ZipOptions } from "fflate";

export const repoRoot = join(import.meta.dirname, "..");
export const lambdaSourceDir = join(repoRoot, "lambda-src");
export const packagesDir = join(repoRoot, "dist");

/** Folders of lambda-src/ that hold shared code rather than a Lambda entry point. */
const notFunctions = new Set(["shared"]);

/**
 * fflate writes DOS timestamps from the Date's local-time fields, so the date is built from
 * local fields too: any time zone then yields the same bytes. 1980-01-01 is the DOS epoch.
 */
const fixedZipDate = new Date(1980, 0, 1, 0, 0, 0);
/** Unix regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const regularFileAttributes = (0o100644 << 16) >>> 0;
const unixHostSystem = 3;

export interface LambdaPackage {
  readonly name: string;
  readonly zipPath: string;
  readonly bytes: Uint8Array;
  readonly files: readonly string[];
}

async function listFunctions(): Promise<string[]> {
  const entries = await readdir(lambdaSourceDir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || notFunctions.has(entry.name)) continue;
    const hasEntryPoint = await stat(join(lambdaSourceDir, entry.name, "index.ts")).then(
      () => true,
      () => false,
    );
    if (hasEntryPoint) names.push(entry.name);
  }
  return names.sort();
}

async function bundle(name: string): Promise<OutputFile[]> {
  return bundleEntry(join(lambdaSourceDir, name, "index.ts"), join("build", name));
}

/** One entry point bundled exactly as a Lambda package is (the benchmarks bundle their peers with it). */
export async function bundleEntry(entryPoint: string, outdir: string): Promise<OutputFile[]> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    // Error classes set `this.name = new.target.name` and logs carry names: minified, they would read "xt".
    keepNames: true,
    // Splitting lets a handler `await import()` a heavy dependency (the AWS SDK) into its own
    // chunk, so a configuration that never needs it never loads it.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    // Bundled CommonJS dependencies call require() for Node built-ins; ESM has none.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    legalComments: "none",
    charset: "utf8",
    write: false,
    absWorkingDir: repoRoot,
    logLevel: "silent",
  });
  return result.outputFiles;
}

export async function buildPackage(name: string): Promise<LambdaPackage> {
  const outputs = await bundle(name);
  const outdir = join(repoRoot, "build", name);
  const entries: Zippable = {};
  const files = outputs
    .map((file) => ({ path: relative(outdir, file.path).split(sep).join("/"), contents: file.contents }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of files) {
    const options: ZipOptions = { mtime: fixedZipDate, level: 9, os: unixHostSystem, attrs: regularFileAttributes };
    entries[file.path] = [file.contents, options];
  }
  return {
    name,
    zipPath: join(packagesDir, `${name}.zip`),
    bytes: zipSync(entries),
    files: files.map((file) => file.path),
  };
}

export async function buildAllPackages(): Promise<LambdaPackage[]> {
  const names = await listFunctions();
  const packages = await Promise.all(names.map(buildPackage));
  // esbuild keeps a service process alive for later calls; the callers (the build, the local run's
  // staleness check) build once, so end it now rather than leave it to notice its parent has gone.
  await stop();
  return packages;
}

/** The operator CLI as one file, committed beside the zips so a module pulled by git source can run it with plain `node`. */
export const cliBundlePath = join(packagesDir, "jwt-api-admin.mjs");

/** dist/jwt-api-admin.mjs: cli/entry.ts and its dependencies (AWS SDK, commander) in one ES module, no chunks. */
export async function buildCliBundle(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(repoRoot, "cli", "entry.ts")],
    bundle: true,
    minify: true,
    keepNames: true,
    format: "esm",
    platform: "node",
    // The operator's machine, not Lambda: the oldest Node package.json's engines allow.
    target: "node20",
    banner: {
      js: '#!/usr/bin/env node\nimport{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);',
    },
    legalComments: "none",
    charset: "utf8",
    write: false,
    absWorkingDir: repoRoot,
    logLevel: "silent",
  });
  await stop();
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote no CLI bundle");
  return output.contents;
}

export interface PackageDrift {
  /** Functions whose committed zip is missing or differs from a fresh build. */
  readonly stale: readonly string[];
  /** Zips in dist/ with no function left under lambda-src/. */
  readonly orphaned: readonly string[];
}

export async function comparePackages(fresh: readonly LambdaPackage[]): Promise<PackageDrift> {
  const stale: string[] = [];
  for (const pkg of fresh) {
    const committed = await readFile(pkg.zipPath).catch(() => undefined);
    if (committed === undefined || !Buffer.from(pkg.bytes).equals(committed)) stale.push(pkg.name);
  }
  const expected = new Set(fresh.map((pkg) => `${pkg.name}.zip`));
  const present = await readdir(packagesDir).catch(() => [] as string[]);
  const orphaned = present.filter((file) => file.endsWith(".zip") && !expected.has(file));
  return { stale, orphaned };
}
