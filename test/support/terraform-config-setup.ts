/**
 * vitest global setup: writes the offline Terraform CLI config once, in the main process, for every
 * worker to reuse. Workers are ended without running their 'exit' handlers, so a config each wrote
 * for itself would stay in the temp dir; this one goes when the main process exits.
 */
import { cliConfigFile, inheritedCliConfigVariable } from "../../local/terraform/terraform-cli.ts";

export async function setup(): Promise<void> {
  try {
    process.env[inheritedCliConfigVariable] = await cliConfigFile();
  } catch {
    // No provider mirror here: the suites that need Terraform say so themselves.
  }
}
