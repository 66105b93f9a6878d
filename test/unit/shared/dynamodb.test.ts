import { describe, expect, it } from "vitest";
import {
  conditionalWrite,
  dependencyError,
  epochSeconds,
  isConditionalCheckFailed,
} from "../../../lambda-src/shared/dynamodb.ts";
import { DependencyError } from "../../../lambda-src/shared/errors.ts";

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe("DynamoDB error helpers", () => {
  it("names only the SDK error, never its message", () => {
    // Act
    const error = dependencyError("GetItem", named("ValidationException", "key user_id=alice is invalid"));

    // Assess
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toBe("DynamoDB GetItem failed: ValidationException");
  });

  it.each([
    [named("ConditionalCheckFailedException", ""), true],
    [named("TransactionCanceledException", ""), false],
    ["ConditionalCheckFailedException", false],
  ])("recognises a failed condition in %o", (error, expected) => {
    expect(isConditionalCheckFailed(error)).toBe(expected);
  });

  it.each([
    ["an applied write", () => Promise.resolve({}), true],
    ["a failed condition", () => Promise.reject(named("ConditionalCheckFailedException", "")), false],
  ])("answers %s with its outcome", async (_label, write, expected) => {
    // Act
    const applied = await conditionalWrite("PutItem", write);

    // Assess
    expect(applied).toBe(expected);
  });

  it("turns any other failure of a conditional write into a DependencyError", async () => {
    // Act
    const attempt = conditionalWrite("PutItem", () => Promise.reject(named("ThrottlingException", "slow down")));

    // Assess
    await expect(attempt).rejects.toThrow("DynamoDB PutItem failed: ThrottlingException");
  });

  it("converts milliseconds to whole epoch seconds", () => {
    expect(epochSeconds(1_999)).toBe(1);
  });
});
