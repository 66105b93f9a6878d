import { JwtApiError } from "../shared/errors.ts";

/** Secrets Manager called the rotation with an event or a secret state it must not act on. */
export class RotationRefusedError extends JwtApiError {
  readonly code = "ROTATION_REFUSED";
}
