/** The event Secrets Manager invokes a rotation function with. */
import * as z from "zod/mini";
import { RotationRefusedError } from "./errors.ts";

export const rotationSteps = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;

export interface RotationEvent {
  readonly secretId: string;
  /** The id of the version being rotated in. */
  readonly token: string;
  readonly step: (typeof rotationSteps)[number];
}

const schema = z.object({
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(32), z.maxLength(64)),
  Step: z.enum(rotationSteps),
});

export function parseRotationEvent(event: unknown): RotationEvent {
  const result = schema.safeParse(event);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join("."));
    throw new RotationRefusedError(`the rotation event is malformed at ${fields.join(", ")}`);
  }
  return { secretId: result.data.SecretId, token: result.data.ClientRequestToken, step: result.data.Step };
}
