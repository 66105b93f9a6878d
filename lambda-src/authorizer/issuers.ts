/**
 * Selects for a token the one issuer named by its unverified `iss`, then lets that issuer's own
 * verifier check everything, `iss` included. An unknown `iss` is refused before any key is looked
 * up, and so is an `alg` the issuer is not pinned to, so neither can trigger a key fetch.
 */
import { principalFrom } from "./principal.ts";
import { TokenRejectedError } from "./errors.ts";
import type { IssuerConfig, Principal } from "./types.ts";
import { inspectToken } from "./unverified-token.ts";
import { createVerifier, type IssuerVerifier, type VerifierDependencies } from "./verifiers.ts";

/** A token and the issuer selected for it, not yet verified. */
export interface SelectedToken {
  readonly token: string;
  /** A configured `iss` value, safe to log. */
  readonly issuer: string;
  readonly kid: string | undefined;
  readonly verifier: IssuerVerifier;
}

export class IssuerRegistry {
  readonly #byIss = new Map<string, IssuerVerifier>();

  constructor(issuers: readonly IssuerConfig[], dependencies: VerifierDependencies) {
    for (const config of issuers) {
      const verifier = createVerifier(config, dependencies);
      for (const iss of config.issuers) this.#byIss.set(iss, verifier);
    }
  }

  select(token: string): SelectedToken {
    const { header, issuer, kid } = inspectToken(token);
    const verifier = this.#byIss.get(issuer);
    if (verifier === undefined) {
      throw new TokenRejectedError("ISSUER_UNKNOWN", "the token's iss is not a configured issuer");
    }
    if (typeof header.alg !== "string" || !verifier.algorithms.includes(header.alg)) {
      throw new TokenRejectedError("ALGORITHM_NOT_ALLOWED", "the token's alg is not allowed for its issuer");
    }
    return { token, issuer, kid, verifier };
  }

  async authenticate(selected: SelectedToken): Promise<Principal> {
    return principalFrom(selected.verifier.config.type, await selected.verifier.verify(selected.token, selected.kid));
  }
}
