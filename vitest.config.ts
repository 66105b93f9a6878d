import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The apply suite against moto is its own gate (vitest.moto.config.ts).
    exclude: [...configDefaults.exclude, "test/moto/**"],
    globalSetup: ["test/support/terraform-config-setup.ts"],
    // Suites start loopback servers and Terraform; two cores are shared by everything.
    maxWorkers: 2,
    // A hang detector, not a speed target (those live in `npm run bench`): Terraform runs and fuzz
    // properties took over 30 s on this 2-core machine at a load average of 10.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
