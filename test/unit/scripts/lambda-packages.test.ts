/**
 * The packages Terraform uploads must be the same bytes for the same sources on any machine and
 * any day, or every `terraform plan` shows a diff nobody made.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { buildPackage, repoRoot } from "../../../scripts/lambda-packages.ts";

const execFileAsync = promisify(execFile);

/** Builds one package in a fresh process with the given time zone and prints its bytes as base64. */
async function buildElsewhere(name: string, timeZone: string): Promise<Buffer> {
  const script = `import { buildPackage } from "./scripts/lambda-packages.ts";
process.stdout.write(Buffer.from((await buildPackage(${JSON.stringify(name)})).bytes).toString("base64"));`;
  const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: repoRoot,
    env: { ...process.env, TZ: timeZone },
    maxBuffer: 64 * 1024 * 1024,
  });
  return Buffer.from(stdout, "base64");
}

/** DOS date and time of every local file header, and the external attributes of every central entry. */
function zipMetadata(zip: Uint8Array): { stamps: string[]; attributes: number[] } {
  const view = Buffer.from(zip);
  const stamps: string[] = [];
  const attributes: number[] = [];
  for (let offset = 0; offset + 4 <= view.length; offset++) {
    const signature = view.readUInt32LE(offset);
    if (signature === 0x04034b50) stamps.push(`${view.readUInt16LE(offset + 12)}/${view.readUInt16LE(offset + 10)}`);
    if (signature === 0x02014b50) attributes.push(view.readUInt32LE(offset + 38));
  }
  return { stamps, attributes };
}

describe("Lambda packages", () => {
  it("are the same bytes whatever the machine's time zone", async () => {
    // Act
    const [utc, kiritimati, honolulu] = await Promise.all([
      buildElsewhere("sample-api", "UTC"),
      buildElsewhere("sample-api", "Pacific/Kiritimati"),
      buildElsewhere("sample-api", "Pacific/Honolulu"),
    ]);

    // Assess
    expect(utc.length).toBeGreaterThan(0);
    expect(kiritimati.equals(utc)).toBe(true);
    expect(honolulu.equals(utc)).toBe(true);
  });

  it("stamp every entry 1980-01-01 00:00 with mode 0644 and list entries sorted", async () => {
    // Act
    const pkg = await buildPackage("authorizer");
    const { stamps, attributes } = zipMetadata(pkg.bytes);

    // Assess
    const dosDate1980January1 = (0 << 9) | (1 << 5) | 1;
    expect(new Set(stamps)).toEqual(new Set([`${dosDate1980January1}/0`]));
    expect(new Set(attributes)).toEqual(new Set([(0o100644 << 16) >>> 0]));
    expect(pkg.files).toEqual([...pkg.files].sort());
    expect(Object.keys(unzipSync(pkg.bytes))).toEqual(pkg.files);
  });

  it("keep class names through minification, so errors log their real names", async () => {
    // Act
    const pkg = await buildPackage("authorizer");
    const entry = new TextDecoder().decode(unzipSync(pkg.bytes)["index.mjs"]);

    // Assess
    expect(entry).toContain('"TokenRejectedError"');
  });
});
