import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath } from "../../support/chromium.ts";

describe("chromiumPath", () => {
  let dir: string;
  let fake: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "chromium-path-"));
    fake = join(dir, "chromium-browser");
    await writeFile(fake, "#!/bin/sh\n");
    await chmod(fake, 0o755);
    await writeFile(join(dir, "chromium"), "not executable");
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["CHROMIUM_PATH when set", { CHROMIUM_PATH: "FAKE", PATH: "" }],
    ["the first executable candidate on PATH", { PATH: "DIR" }],
  ])("uses %s", (_name, env) => {
    // Prepare
    const resolved = Object.fromEntries(
      Object.entries(env).map(([key, value]) => [key, value.replace("FAKE", fake).replace("DIR", dir)]),
    );

    // Act
    const path = chromiumPath(resolved);

    // Assess
    expect(path).toBe(fake);
  });

  it.each([
    ["a CHROMIUM_PATH that is not executable", { CHROMIUM_PATH: "/nonexistent/chromium" }, /CHROMIUM_PATH=/],
    ["no Chromium on PATH", { PATH: "/nonexistent" }, /install Debian's chromium .* or set CHROMIUM_PATH/],
  ])("fails loudly on %s", (_name, env, message) => {
    // Act
    const attempt = () => chromiumPath(env);

    // Assess
    expect(attempt).toThrow(message);
  });
});
