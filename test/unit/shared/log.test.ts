import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleLogger } from "../../../lambda-src/shared/log.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("consoleLogger", () => {
  it.each([
    ["info", "log"],
    ["warn", "log"],
    ["error", "error"],
  ] as const)("writes %s as one JSON line through console.%s", (level, method) => {
    // Prepare
    const spy = vi.spyOn(console, method).mockImplementation(() => undefined);

    // Act
    consoleLogger(level, "something_happened", { code: "X", count: 2 });

    // Assess
    expect(spy).toHaveBeenCalledWith(JSON.stringify({ level, event: "something_happened", code: "X", count: 2 }));
  });
});
