/**
 * The module refuses at plan the routes whose policy the authorizer would refuse at cold start
 * (outputs.tf, authorizer_id's precondition). Terraform sizes the policy with numbers written in
 * main.tf; they must be the authorizer's own, or one of the two checks lets through what the other
 * refuses.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { contextReserveBytes, maxResultBytes, sizingPrefix } from "../../../lambda-src/authorizer/policy.ts";
import { nonCanonicalSpellings } from "../../../lambda-src/authorizer/route-authorization.ts";
import { repoRoot } from "../../../scripts/lambda-packages.ts";

interface Locals {
  readonly route_policy_sizing_prefix: string;
  readonly route_policy_non_canonical: number;
  readonly route_policy_max_bytes: number;
}

async function moduleLocals(): Promise<Locals> {
  const parsed = (await parse("main.tf", await readFile(join(repoRoot, "main.tf"), "utf8"))) as {
    locals: Partial<Locals>[];
  };
  return Object.assign({}, ...parsed.locals) as Locals;
}

describe("the module's policy sizing", () => {
  it("uses the authorizer's prefix, quota and non-canonical spellings", async () => {
    // Prepare: each spelling adds a quoted, comma-separated resource behind the prefix.
    const nonCanonicalBytes = nonCanonicalSpellings.reduce(
      (bytes, spelling) => bytes + sizingPrefix.length + spelling.length + 3,
      0,
    );

    // Act
    const locals = await moduleLocals();

    // Assess
    expect(locals).toMatchObject({
      route_policy_sizing_prefix: sizingPrefix,
      route_policy_non_canonical: nonCanonicalBytes,
      route_policy_max_bytes: maxResultBytes - contextReserveBytes,
    });
  });
});
