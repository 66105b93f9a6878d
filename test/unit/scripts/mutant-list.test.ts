/**
 * The hand-made mutants must still apply to the code as it is: a snippet an edit moved or rewrote
 * fails here, in every `npm test`, instead of silently mutating nothing in `npm run mutants`.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applyMutant, listProblems, mutants, type Mutant } from "../../../scripts/mutant-list.ts";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

describe("the mutant list", () => {
  it("applies to the working tree: every snippet found exactly once, every named test file present", async () => {
    // Act
    const problems = await listProblems(repoRoot);

    // Assess
    expect(problems).toEqual([]);
    expect(mutants.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ["is missing", "const b = 2;\n"],
    ["occurs twice", "const a = 1;\nconst a = 1;\n"],
  ])("calls a mutant stale when its snippet %s", (_label, text) => {
    // Prepare
    const mutant: Mutant = {
      id: "example",
      file: "lambda-src/example.ts",
      original: "const a = 1;",
      replacement: "const a = 2;",
      why: "an example",
      killers: ["test/unit/example.test.ts"],
    };

    // Act
    const apply = () => applyMutant(text, mutant);

    // Assess
    expect(apply).toThrow(/mutant example is stale/);
  });

  it("reports a list that names a missing file or test file", async () => {
    // Prepare
    const [first] = mutants;
    if (first === undefined) throw new Error("the list is empty");
    const misplaced: Mutant = { ...first, id: "misplaced", file: "lambda-src/authorizer/no-such.ts" };
    const untested: Mutant = { ...first, id: "untested", killers: ["test/unit/no-such.test.ts"] };

    // Act
    const problems = await listProblems(repoRoot, [misplaced, untested]);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        "mutant misplaced: no file lambda-src/authorizer/no-such.ts",
        "mutant untested: no test file test/unit/no-such.test.ts",
      ]),
    );
  });
});
