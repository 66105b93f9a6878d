import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lambdaNode, lambdaNodeMajor, lambdaNodePackages } from "../../../local/lambda/lambda-node.ts";
import { repoRoot } from "../../../local/terraform/terraform-cli.ts";

const platform = `${process.platform}-${process.arch}`;
const manifest = (await import("../../../package.json", { with: { type: "json" } })).default as {
  optionalDependencies: Record<string, string>;
};

describe("the Node that runs the local run's functions", () => {
  it("is the Lambda runtime's major from this platform's package, and says which one it is", () => {
    // Act
    const node = lambdaNode();

    // Assess
    const expected = lambdaNodePackages[platform];
    if (expected === undefined) {
      expect(node).toEqual({
        path: process.execPath,
        version: process.version,
        source: expect.any(String) as unknown,
        stripsTypes: expect.any(Boolean) as unknown,
      });
      return;
    }
    expect([node.source, node.version.split(".")[0]]).toEqual([expected, `v${lambdaNodeMajor}`]);
    expect(execFileSync(node.path, ["--version"], { encoding: "utf8" }).trim()).toBe(node.version);
  });

  it("names only packages package.json installs, each pinned to the runtime's major", () => {
    // Assess
    expect(Object.values(lambdaNodePackages).map((name) => manifest.optionalDependencies[name]?.split(".")[0])).toEqual(
      Object.values(lambdaNodePackages).map(() => String(lambdaNodeMajor)),
    );
  });

  it("leaves npm scripts on the machine's own Node: no node_modules/.bin/node shadows it", () => {
    // Assess
    expect(existsSync(join(repoRoot, "node_modules", ".bin", "node"))).toBe(false);
  });
});
