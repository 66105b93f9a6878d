import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RotationRefusedError } from "../../../lambda-src/secret-rotation/errors.ts";
import { parseRotationEvent } from "../../../lambda-src/secret-rotation/rotation-event.ts";

describe("parseRotationEvent", () => {
  it("reads the three fields Secrets Manager sends", () => {
    // Prepare
    const token = randomUUID();

    // Act
    const event = parseRotationEvent({ SecretId: "arn:secret", ClientRequestToken: token, Step: "testSecret" });

    // Assess
    expect(event).toEqual({ secretId: "arn:secret", token, step: "testSecret" });
  });

  it.each([
    ["no event", undefined],
    ["an unknown step", { SecretId: "s", ClientRequestToken: randomUUID(), Step: "dropSecret" }],
    ["a missing secret id", { ClientRequestToken: randomUUID(), Step: "createSecret" }],
    ["a short token", { SecretId: "s", ClientRequestToken: "abc", Step: "createSecret" }],
  ])("refuses %s", (_label, event) => {
    expect(() => parseRotationEvent(event)).toThrow(RotationRefusedError);
  });
});
