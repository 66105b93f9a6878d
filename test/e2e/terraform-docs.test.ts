/**
 * The README's generated inputs/outputs section matches the module (the CI staleness check for
 * scripts/terraform-docs.ts), and every variable and output of every module is documented.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { injectDocs, readModuleDocs, renderDocs } from "../../scripts/terraform-docs.ts";
import { repoRoot } from "../../local/terraform-cli.ts";

describe("terraform docs", () => {
  it("README.md holds the inputs and outputs generated from the root module", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const generated = injectDocs(readme, renderDocs(await readModuleDocs(repoRoot)));
    expect(readme, "README.md is stale: run `npx tsx scripts/terraform-docs.ts`").toBe(generated);
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
