import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flattenModules } from "../../../local/terraform/terraform-cli.ts";
import { plannedResources, TerraformStateError } from "../../../local/terraform/terraform-state.ts";

const resource = (address: string) => ({ address, type: "t", name: "n", values: {} });

describe("flattenModules", () => {
  it("lists the resources of the root and of nested module calls", () => {
    // Prepare
    const state = {
      resources: [resource("a.root")],
      child_modules: [
        {
          address: "module.x",
          resources: [resource("module.x.b")],
          child_modules: [{ resources: [resource("module.x.module.y.c")] }],
        },
      ],
    };

    // Act
    const addresses = flattenModules(state).map((item) => item.address);

    // Assess
    expect(addresses).toEqual(["a.root", "module.x.b", "module.x.module.y.c"]);
  });
});

describe("plannedResources", () => {
  it("knows computed attributes and resolves references through module calls", async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), "jwt-api-state-test-"));
    await writeFile(
      join(root, "main.tf"),
      `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
module "queue" {
  source = "./queue"
}
resource "aws_sqs_queue_policy" "this" {
  queue_url = module.queue.url
  policy    = "{}"
}
`,
    );
    const moduleDir = join(root, "queue");
    await mkdir(moduleDir);
    await writeFile(
      join(moduleDir, "main.tf"),
      `resource "aws_sqs_queue" "this" {
  name = "q"
}
output "url" {
  value = aws_sqs_queue.this.url
}
`,
    );

    // Act
    const resources = await plannedResources(root);
    await rm(root, { recursive: true, force: true });

    // Assess
    const queue = resources.find((item) => item.address === "module.queue.aws_sqs_queue.this");
    const policy = resources.find((item) => item.address === "aws_sqs_queue_policy.this");
    expect(typeof queue?.values.url).toBe("string");
    expect(policy?.values.queue_url).toBe(queue?.values.url);
  });

  it("says what Terraform refused", async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), "jwt-api-state-test-"));
    await writeFile(join(root, "main.tf"), 'resource "aws_sqs_queue" "this" {\n  name = var.missing\n}\n');

    // Act
    const planning = plannedResources(root);

    // Assess
    await expect(planning).rejects.toThrow(TerraformStateError);
    await expect(planning).rejects.toThrow(/Reference to undeclared input variable/);
    await rm(root, { recursive: true, force: true });
  });
});
