import { defineConfig } from "vitest/config";

// The apply suite against moto (test/moto): its own gate in `npm test`, run only where moto_server
// is installed. Each file applies one example with Terraform against its own moto server.
export default defineConfig({
  test: {
    include: ["test/moto/**/*.test.ts"],
    // Two applies at a time fill the two cores; more only queue behind each other.
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
