import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The apply suite against moto is its own gate (vitest.moto.config.ts).
    exclude: [...configDefaults.exclude, "test/moto/**"],
    globalSetup: ["test/support/terraform-config-setup.ts"],
    // Suites start loopback servers and Terraform; two cores are shared by everything.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
