/**
 * Each README's generated inputs/outputs section matches its module (the CI staleness check for
 * scripts/terraform-docs.ts), and every variable and output of every module is documented.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allModules, injectDocs, readModuleDocs, renderDocs } from "../../scripts/terraform-docs.ts";
import { repoRoot } from "../../local/terraform/terraform-cli.ts";

describe("terraform docs", () => {
  it("the README of the root module and of each submodule holds the inputs and outputs generated from it", async () => {
    const modules = await allModules();
    expect(modules).toContain(join("modules", "lambda-function"));
    for (const module of modules) {
      const readme = await readFile(join(repoRoot, module, "README.md"), "utf8");
      const generated = injectDocs(readme, renderDocs(await readModuleDocs(join(repoRoot, module))));
      expect(readme, `${module}/README.md is stale: run \`npx tsx scripts/terraform-docs.ts\``).toBe(generated);
    }
  });

  it("documents every variable and output of the root module and each submodule", async () => {
    const modules = (await readdir(join(repoRoot, "modules"))).map((name) => join(repoRoot, "modules", name));
    for (const dir of [repoRoot, ...modules]) {
      const docs = await readModuleDocs(dir);
      expect(docs.variables.length + docs.outputs.length, dir).toBeGreaterThan(0);
      for (const item of [...docs.variables, ...docs.outputs]) {
        expect(item.description?.trim().length ?? 0, `${dir}: ${item.name} has no description`).toBeGreaterThan(0);
      }
    }
  });

  it("replaces only the marked section and appends the markers when missing", () => {
    expect(injectDocs("# Title\n", "table")).toBe("# Title\n\n<!-- BEGIN_TF_DOCS -->\ntable\n<!-- END_TF_DOCS -->\n");
    expect(injectDocs("a\n<!-- BEGIN_TF_DOCS -->\nold\n<!-- END_TF_DOCS -->\nb\n", "new")).toBe(
      "a\n<!-- BEGIN_TF_DOCS -->\nnew\n<!-- END_TF_DOCS -->\nb\n",
    );
  });
});
