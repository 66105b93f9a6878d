/**
 * Which new passwords the operator CLI accepts. Length is the rule, not character classes: with a
 * single factor, OWASP and NIST SP 800-63B ask for at least 15 characters and no composition rules,
 * and for a maximum of at least 64 so pass phrases fit.
 * https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#implement-proper-password-strength-controls
 */
import { WeakPasswordError } from "./errors.ts";

const minimumPasswordLength = 15;
/** Also the longest password the token endpoint reads, so every accepted password can log in. */
export const maximumPasswordLength = 1024;

/** Characters as a person counts them (code points), not UTF-16 units. */
export function characterCount(value: string): number {
  return Array.from(value).length;
}

/** Throws WeakPasswordError naming the rule a new password breaks. */
export function checkPasswordPolicy(password: string, username?: string): void {
  const length = characterCount(password.normalize("NFKC"));
  if (length < minimumPasswordLength) {
    throw new WeakPasswordError(`the password must be at least ${minimumPasswordLength} characters (got ${length})`);
  }
  if (characterCount(password) > maximumPasswordLength) {
    throw new WeakPasswordError(`the password must be at most ${maximumPasswordLength} characters`);
  }
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) {
    throw new WeakPasswordError("the password must not contain the username");
  }
  if (new Set(password).size === 1) {
    throw new WeakPasswordError("the password must not repeat a single character");
  }
}
