/**
 * One verifier per configured issuer, each with its own key source, pinned algorithms and claim
 * rules, so nothing in a token picks how it is checked. jose's defaults are tightened where they
 * are lax: `exp` and `sub` are required claims, `iat` may not lie in the future, and the keys of
 * the module's own token service come from SigningSecret, which refuses HMAC keys under 32 bytes
 * and keys of another type than the issuer's algorithm, and imports each one once.
 * https://github.com/panva/jose/blob/main/docs/jwt/verify/functions/jwtVerify.md
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from "jose";
import type { SigningAlgorithm } from "../shared/signing-algorithm.ts";
import type { SigningSecret } from "../shared/signing-secret.ts";
import type {
  AsymmetricAlgorithm,
  CognitoIssuerConfig,
  GoogleIssuerConfig,
  Hs256IssuerConfig,
  IssuerConfig,
  OidcIssuerConfig,
  SecretKeyIssuerConfig,
} from "./types.ts";
import { checkIssuedAt } from "./principal.ts";
import { TokenRejectedError } from "./errors.ts";

export interface IssuerVerifier {
  readonly config: IssuerConfig;
  readonly algorithms: readonly string[];
  /** Resolves the verified payload or rejects with a TokenRejectedError (or a dependency error). */
  verify(token: string, kid: string | undefined): Promise<JWTPayload>;
}

export interface VerifierDependencies {
  readonly clockToleranceSeconds: number;
  readonly now: () => number;
  /** The key source of a JWKS issuer, created once per cold start. */
  readonly jwks: (jwksUri: string) => JWTVerifyGetKey;
  /** The signing secret of an hs256/es256/rs256/eddsa issuer, created once per cold start, with keys of `algorithm`. */
  readonly signingSecret: (secretArn: string, algorithm: SigningAlgorithm) => SigningSecret;
}

/** Cognito and Google sign with RS256 only. */
const rs256: readonly AsymmetricAlgorithm[] = ["RS256"];

/** Maps jose's failures to stable reasons; anything else (a dependency, a bug) passes through. */
export function toRejection(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError("TOKEN_EXPIRED", "the token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    // jose reports a non-numeric nbf or iat with the same claim name but reason "invalid".
    return (error.claim === "nbf" || error.claim === "iat") && error.reason === "check_failed"
      ? new TokenRejectedError("TOKEN_NOT_YET_VALID", `the token's ${error.claim} is in the future`)
      : new TokenRejectedError(
          "CLAIM_INVALID",
          `the token's ${error.claim} ${error.reason === "missing" ? "is missing" : "does not match its issuer's settings"}`,
        );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRejectedError("ALGORITHM_NOT_ALLOWED", "the token's alg is not allowed for its issuer");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError("SIGNATURE_INVALID", "the token's signature does not verify");
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenRejectedError("KEY_NOT_FOUND", "no single key of the issuer matches the token");
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new TokenRejectedError("TOKEN_MALFORMED", "the token is not a valid JWS");
  }
  return error;
}

function baseOptions(config: IssuerConfig, dependencies: VerifierDependencies): JWTVerifyOptions {
  return {
    issuer: [...config.issuers],
    requiredClaims: ["exp", "sub", ...config.requiredClaims],
    clockTolerance: dependencies.clockToleranceSeconds,
    ...(config.typ === undefined ? {} : { typ: config.typ }),
  };
}

function withClock(options: JWTVerifyOptions, dependencies: VerifierDependencies): JWTVerifyOptions {
  return { ...options, currentDate: new Date(dependencies.now()) };
}

function afterVerify(payload: JWTPayload, dependencies: VerifierDependencies): JWTPayload {
  checkIssuedAt(payload, Math.floor(dependencies.now() / 1000), dependencies.clockToleranceSeconds);
  return payload;
}

/** The algorithm each issuer type of the module's own token service signs with. */
const secretAlgorithms: Readonly<Record<(Hs256IssuerConfig | SecretKeyIssuerConfig)["type"], SigningAlgorithm>> = {
  hs256: "HS256",
  es256: "ES256",
  rs256: "RS256",
  eddsa: "EdDSA",
};

/**
 * The module's own token service, verified with the keys in its signing secret. For es256,
 * rs256 and eddsa the public key is derived from the private JWK the secret holds, rather than
 * fetched from the token service's JWKS route: no network hop through API Gateway and the token
 * service on a cold start (one GetSecretValue, as for hs256), no dependency of the API's
 * authorizer on the same API, and the same rotation guarantees as hs256 (AWSCURRENT and
 * AWSPREVIOUS by `kid`, one refetch per cooldown for an unknown `kid`). Only the public half is
 * kept (signing-keys.ts).
 */
function secretKeyVerifier(
  config: Hs256IssuerConfig | SecretKeyIssuerConfig,
  dependencies: VerifierDependencies,
): IssuerVerifier {
  const algorithm = secretAlgorithms[config.type];
  const secret = dependencies.signingSecret(config.secretArn, algorithm);
  const options: JWTVerifyOptions = {
    ...baseOptions(config, dependencies),
    algorithms: [algorithm],
    audience: [...config.audiences],
  };
  return {
    config,
    algorithms: [algorithm],
    async verify(token, kid) {
      // With a kid (= the secret's version id) one key is tried; without, AWSCURRENT then AWSPREVIOUS.
      const keys = await secret.verificationKeys(kid);
      if (keys.length === 0)
        throw new TokenRejectedError("KEY_NOT_FOUND", "no signing key version matches the token's kid");
      let failure: unknown;
      for (const { key } of keys) {
        try {
          return afterVerify((await jwtVerify(token, key, withClock(options, dependencies))).payload, dependencies);
        } catch (error) {
          if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw toRejection(error);
          failure = error;
        }
      }
      throw toRejection(failure);
    },
  };
}

function jwksVerifier(
  config: IssuerConfig,
  jwksUri: string,
  options: JWTVerifyOptions & { readonly algorithms: readonly string[] },
  dependencies: VerifierDependencies,
  checkClaims: (payload: JWTPayload) => void,
): IssuerVerifier {
  const getKey = dependencies.jwks(jwksUri);
  return {
    config,
    algorithms: options.algorithms,
    async verify(token) {
      let payload: JWTPayload;
      try {
        payload = (await jwtVerify(token, getKey, withClock(options, dependencies))).payload;
      } catch (error) {
        throw toRejection(error);
      }
      checkClaims(payload);
      return afterVerify(payload, dependencies);
    },
  };
}

const oneOf = (value: unknown, allowed: readonly string[]): boolean =>
  typeof value === "string" && allowed.includes(value);

/**
 * Cognito access tokens carry `client_id` and no `aud`; id tokens carry `aud`. `token_use` says
 * which one a token is, so an id token cannot stand in for an access token.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
function cognitoVerifier(config: CognitoIssuerConfig, dependencies: VerifierDependencies): IssuerVerifier {
  const options = {
    ...baseOptions(config, dependencies),
    algorithms: [...rs256],
    ...(config.tokenUse === "id" ? { audience: [...config.clientIds] } : {}),
  };
  return jwksVerifier(config, config.jwksUri, options, dependencies, (payload) => {
    if (payload.token_use !== config.tokenUse) {
      throw new TokenRejectedError("CLAIM_INVALID", `the token's token_use is not ${config.tokenUse}`);
    }
    if (config.tokenUse === "access" && !oneOf(payload.client_id, config.clientIds)) {
      throw new TokenRejectedError("CLAIM_INVALID", "the token's client_id is not a configured client");
    }
  });
}

function oidcVerifier(config: OidcIssuerConfig, dependencies: VerifierDependencies): IssuerVerifier {
  const options = {
    ...baseOptions(config, dependencies),
    algorithms: [...config.algorithms],
    audience: [...config.audiences],
  };
  return jwksVerifier(config, config.jwksUri, options, dependencies, () => undefined);
}

/** https://developers.google.com/identity/gsi/web/guides/verify-google-id-token */
function googleVerifier(config: GoogleIssuerConfig, dependencies: VerifierDependencies): IssuerVerifier {
  const options = { ...baseOptions(config, dependencies), algorithms: [...rs256], audience: [...config.clientIds] };
  return jwksVerifier(config, config.jwksUri, options, dependencies, (payload) => {
    // Google has sent email_verified both as a boolean and as the string "true".
    if (payload.email_verified !== true && payload.email_verified !== "true") {
      throw new TokenRejectedError("CLAIM_INVALID", "the token's email is not verified");
    }
    if (config.hostedDomain !== undefined && payload.hd !== config.hostedDomain) {
      throw new TokenRejectedError("CLAIM_INVALID", "the token's hd is not the configured hosted domain");
    }
  });
}

export function createVerifier(config: IssuerConfig, dependencies: VerifierDependencies): IssuerVerifier {
  switch (config.type) {
    case "hs256":
    case "es256":
    case "rs256":
    case "eddsa":
      return secretKeyVerifier(config, dependencies);
    case "cognito":
      return cognitoVerifier(config, dependencies);
    case "oidc":
      return oidcVerifier(config, dependencies);
    case "google":
      return googleVerifier(config, dependencies);
  }
}
