import { describe, expect, it } from "vitest";
import { dependencyError, epochSeconds, isConditionalCheckFailed } from "../../../lambda-src/shared/dynamodb.ts";
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

  it("converts milliseconds to whole epoch seconds", () => {
    expect(epochSeconds(1_999)).toBe(1);
  });
});
