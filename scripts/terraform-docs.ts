/**
 * Writes each module's README requirements, inputs and outputs tables from its own HCL (the part
 * of terraform-docs this project needs; terraform-docs itself cannot be installed here), between
 * the `<!-- BEGIN_TF_DOCS -->` / `<!-- END_TF_DOCS -->` markers: the root's README.md and that of
 * every submodule under modules/, or one module with `--module`. `--check` changes nothing and
 * fails when a README is stale, for CI.
 *
 * The HCL is read with @cdktf/hcl2json (Terraform's own parser compiled to WebAssembly), so no
 * `terraform init` and no provider are needed; type constraints are shown as written.
 *
 * Usage: tsx scripts/terraform-docs.ts [--check] [--module DIR [--readme FILE]]
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "@cdktf/hcl2json";
import { repoRoot } from "./lambda-packages.ts";

const begin = "<!-- BEGIN_TF_DOCS -->";
const end = "<!-- END_TF_DOCS -->";

interface Variable {
  readonly description?: string;
  readonly type?: string;
  readonly default?: unknown;
  readonly sensitive?: boolean;
}

interface Output {
  readonly description?: string;
  readonly sensitive?: boolean;
}

type Blocks<T> = Record<string, readonly T[] | undefined>;

interface ParsedFile {
  readonly variable?: Blocks<Variable>;
  readonly output?: Blocks<Output>;
  readonly terraform?: readonly {
    readonly required_version?: string;
    readonly required_providers?: readonly Record<string, { readonly source?: string; readonly version?: string }>[];
  }[];
}

export interface ModuleDocs {
  readonly requirements: readonly { readonly name: string; readonly version: string }[];
  readonly variables: readonly (Variable & { readonly name: string })[];
  readonly outputs: readonly (Output & { readonly name: string })[];
}

async function parseFile(dir: string, file: string): Promise<ParsedFile> {
  const path = join(dir, file);
  if (!existsSync(path)) return {};
  return (await parse(file, await readFile(path, "utf8"))) as ParsedFile;
}

/** hcl2json wraps expressions as "${...}"; the README shows them as written. */
function unwrapExpression(text: string): string {
  const match = /^\$\{([\s\S]*)\}$/.exec(text);
  return match?.[1] ?? text;
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indents = lines
    .slice(1)
    .filter((line) => line.trim().length > 0)
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const strip = indents.length === 0 ? 0 : Math.max(0, Math.min(...indents) - 2);
  return [lines[0] ?? "", ...lines.slice(1).map((line) => line.slice(strip))].join("\n");
}

export async function readModuleDocs(dir: string): Promise<ModuleDocs> {
  const [variablesFile, outputsFile, versionsFile] = await Promise.all([
    parseFile(dir, "variables.tf"),
    parseFile(dir, "outputs.tf"),
    parseFile(dir, "versions.tf"),
  ]);
  const requirements: { name: string; version: string }[] = [];
  for (const block of versionsFile.terraform ?? []) {
    if (block.required_version !== undefined) requirements.push({ name: "terraform", version: block.required_version });
    for (const providers of block.required_providers ?? []) {
      for (const [name, spec] of Object.entries(providers)) {
        requirements.push({ name: spec.source ?? name, version: spec.version ?? "any" });
      }
    }
  }
  const variables = Object.entries(variablesFile.variable ?? {})
    .map(([name, blocks]) => ({ name, ...(blocks?.[0] ?? {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const outputs = Object.entries(outputsFile.output ?? {})
    .map(([name, blocks]) => ({ name, ...(blocks?.[0] ?? {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { requirements, variables, outputs };
}

const cell = (text: string): string => text.trim().replaceAll("|", "\\|").replaceAll("\n", "<br>");

/** Multi-line values go in a <pre> block so their indentation survives the table. */
function code(text: string): string {
  if (!text.includes("\n")) return `\`${text.replaceAll("|", "\\|")}\``;
  const html = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("|", "&#124;");
  return `<pre>${html.split("\n").join("<br>")}</pre>`;
}

function defaultCell(variable: Variable): string {
  if (!("default" in variable)) return "n/a";
  if (variable.default === null) return "`null`";
  const json = JSON.stringify(variable.default, null, 2);
  return code(json.length <= 60 ? JSON.stringify(variable.default) : json);
}

export function renderDocs(docs: ModuleDocs): string {
  const lines: string[] = ["## Requirements", "", "| Name | Version |", "| --- | --- |"];
  for (const requirement of docs.requirements) lines.push(`| ${requirement.name} | \`${requirement.version}\` |`);
  lines.push(
    "",
    "## Inputs",
    "",
    "| Name | Description | Type | Default | Required |",
    "| --- | --- | --- | --- | :---: |",
  );
  for (const variable of docs.variables) {
    const type = variable.type === undefined ? "any" : dedent(unwrapExpression(variable.type));
    lines.push(
      `| ${variable.name} | ${cell(variable.description ?? "")} | ${code(type)} | ${defaultCell(variable)} | ${"default" in variable ? "no" : "yes"} |`,
    );
  }
  lines.push("", "## Outputs", "", "| Name | Description |", "| --- | --- |");
  for (const output of docs.outputs) {
    lines.push(
      `| ${output.name} | ${cell(output.description ?? "")}${output.sensitive === true ? " (sensitive)" : ""} |`,
    );
  }
  return lines.join("\n");
}

/** The README with the generated section replaced, or appended (with its markers) when absent. */
export function injectDocs(readme: string, generated: string): string {
  const section = `${begin}\n${generated}\n${end}`;
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) return `${readme.replace(/\n*$/, "")}\n\n${section}\n`;
  return readme.slice(0, start) + section + readme.slice(stop + end.length);
}

/** The root module and every submodule under modules/, each documented in its own README.md. */
export async function allModules(): Promise<string[]> {
  const entries = await readdir(join(repoRoot, "modules"), { withFileTypes: true });
  const submodules = entries.filter((entry) => entry.isDirectory()).map((entry) => join("modules", entry.name));
  return [".", ...submodules.sort()];
}

/** Writes, or with `check` only compares, one module's README; resolves whether it was up to date. */
async function document(moduleDir: string, readmePath: string, check: boolean): Promise<boolean> {
  const readme = await readFile(readmePath, "utf8");
  const updated = injectDocs(readme, renderDocs(await readModuleDocs(moduleDir)));
  const shown = relative(repoRoot, readmePath);
  if (check) {
    if (updated !== readme) {
      console.error(`${shown} is stale: run \`npx tsx scripts/terraform-docs.ts\` and commit the result.`);
    } else {
      console.log(`${shown}: inputs and outputs are up to date.`);
    }
    return updated === readme;
  }
  if (updated !== readme) await writeFile(readmePath, updated);
  console.log(`${shown}: ${updated === readme ? "already up to date" : "updated"}.`);
  return true;
}

async function main(): Promise<void> {
  const usage = "Usage: tsx scripts/terraform-docs.ts [--check] [--module DIR [--readme FILE]]";
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      module: { type: "string" },
      readme: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.readme !== undefined && values.module === undefined) throw new Error(`--readme needs --module. ${usage}`);
  const modules = values.module === undefined ? await allModules() : [values.module];
  let fresh = true;
  for (const module of modules) {
    const moduleDir = join(repoRoot, module);
    const readmePath = values.readme === undefined ? join(moduleDir, "README.md") : join(repoRoot, values.readme);
    fresh = (await document(moduleDir, readmePath, values.check)) && fresh;
  }
  if (!fresh) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main();
