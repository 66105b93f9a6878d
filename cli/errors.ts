import { JwtApiError } from "../lambda-src/shared/errors.ts";

/** The operator asked for something the CLI cannot do as asked; the message says what to change. */
export class CliUsageError extends JwtApiError {
  readonly code = "CLI_USAGE";
}
