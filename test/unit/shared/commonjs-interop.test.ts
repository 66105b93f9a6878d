import { describe, expect, it } from "vitest";
import { commonJsExports } from "../../../lambda-src/shared/commonjs-interop.ts";

const Client = (): string => "client";

describe("commonJsExports", () => {
  it.each([
    ["an unbundled namespace with named exports", { Client, default: { Client } }],
    ["a namespace with named exports only", { Client }],
    ["an esbuild chunk whose exports sit on default only", { default: { Client } }],
  ])("finds the exports of %s", (_shape, namespace) => {
    // Act
    const exports = commonJsExports<{ Client: typeof Client }>(namespace, "Client");

    // Assess
    expect(exports.Client).toBe(Client);
  });
});
