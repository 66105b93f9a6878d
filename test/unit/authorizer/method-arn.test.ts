import { describe, expect, it } from "vitest";
import { parseMethodArn } from "../../../lambda-src/authorizer/method-arn.ts";

describe("parseMethodArn", () => {
  it.each([
    [
      "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/api/items",
      "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/",
      "GET/api/items",
    ],
    [
      "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/v1/GET/",
      "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/v1/",
      "GET/",
    ],
    [
      "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/dev_1/$connect",
      "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/dev_1/",
      "$connect",
    ],
  ])("splits %s", (arn, stagePrefix, resource) => {
    // Act
    const parsed = parseMethodArn(arn);

    // Assess
    expect(parsed).toEqual({ stagePrefix, resource });
  });

  it.each([
    undefined,
    42,
    "",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:execute-api:us-east-1:1234:abc/prod/GET/api",
    "arn:aws:execute-api:us-east-1:123456789012:abc/prod",
    "arn:aws:execute-api:us-east-1:123456789012:abc/prod/get/api",
    "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/a b",
  ])("refuses %j", (value) => {
    // Act
    const parsed = parseMethodArn(value);

    // Assess
    expect(parsed).toBeUndefined();
  });

  it("answers a repeated ARN as it did the first time, and the next ARN on its own", () => {
    // Prepare
    const first = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/a";
    const second = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/POST/b";

    // Act
    const parsed = [first, first, second, "not an arn", second].map((value) => parseMethodArn(value));

    // Assess
    expect(parsed.map((arn) => arn?.resource)).toEqual(["GET/a", "GET/a", "POST/b", undefined, "POST/b"]);
  });
});
