import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { envInteger, envText, parseEnvironment } from "../../../lambda-src/shared/environment.ts";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";

const schema = z.object({ NAME: envText, COUNT: envInteger(1, 10, 5) });

describe("parseEnvironment", () => {
  it.each<[string, Record<string, string>, { NAME: string; COUNT: number }]>([
    ["an unset integer as its fallback", { NAME: "a" }, { NAME: "a", COUNT: 5 }],
    ["a set integer within bounds", { NAME: " a ", COUNT: "10" }, { NAME: "a", COUNT: 10 }],
  ])("reads %s", (_label, env, expected) => {
    // Act
    const variables = parseEnvironment(schema, env, "sample");

    // Assess
    expect(variables).toEqual(expected);
  });

  it("names every wrong variable in one ConfigurationError", () => {
    // Act
    const attempt = () => parseEnvironment(schema, { NAME: " ", COUNT: "11" }, "sample");

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/invalid sample configuration: NAME: must not be empty; COUNT: must be an integer 1\.\.10/);
  });

  it.each(["-1", "1.5", "ten", ""])("refuses the integer %j", (value) => {
    // Act
    const attempt = () => parseEnvironment(schema, { NAME: "a", COUNT: value }, "sample");

    // Assess
    expect(attempt).toThrow(/COUNT: must be an integer 1\.\.10/);
  });
});
