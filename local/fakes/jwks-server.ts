/**
 * An OIDC-style token issuer on 127.0.0.1: it generates real signing keys (RSA, RSA-PSS, EC,
 * Ed25519), publishes their public halves at `{issuer}/.well-known/jwks.json` with a discovery
 * document at `{issuer}/.well-known/openid-configuration`, and signs tokens with them.
 *
 * It can be told to misbehave the ways a real IdP does, for the authorizer's fault-injection
 * suites: answer slowly, with a 5xx or 429, with a body that is not JSON, without a key it still
 * signs with, or with a key swapped under the same `kid`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { asymmetricAlgorithms } from "../../lambda-src/authorizer/types.ts";
import { answerFault, closeServer, countCall, FaultQueue, serveLoopback } from "./loopback-http.ts";

/** Every algorithm the authorizer can be pinned to, so the local issuer can sign for each. */
export const signingAlgorithms = asymmetricAlgorithms;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export type JwksFault =
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "garbage" };

export interface IssuerKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public key as published: with `kid`, `alg` and `use: "sig"`. */
  readonly publicJwk: JWK;
}

export interface SignOptions {
  /** The key to sign with; the active key when omitted. */
  readonly kid?: string;
  /** Extra or replacing protected-header parameters (`typ`, a different `kid`…); `alg` follows the key. */
  readonly header?: Readonly<Record<string, string>>;
  /** Lifetime used for the default `exp`; 300 s when omitted. */
  readonly ttlSeconds?: number;
}

export interface JwksServerOptions {
  /** Path below the origin that forms the issuer, e.g. `/us-east-1_Pool` for a Cognito-style URL. */
  readonly issuerPath?: string;
  /** Keys generated at start, the first one active. Defaults to one RS256 key. */
  readonly algorithms?: readonly SigningAlgorithm[];
  readonly port?: number;
}

export interface JwksServer {
  /** `http://127.0.0.1:{port}{issuerPath}`: the `iss` of tokens it signs. */
  readonly issuer: string;
  readonly jwksUri: string;
  /** Requests received, by path. */
  readonly requests: Map<string, number>;
  /** The key `sign` uses by default. */
  readonly activeKey: IssuerKey;
  /** Every key generated, published or not, oldest first. */
  readonly keys: readonly IssuerKey[];
  key(kid: string): IssuerKey;
  /** Generates, publishes and activates a new key; earlier keys stay published until withdrawn. */
  rotate(alg?: SigningAlgorithm): Promise<IssuerKey>;
  /** Stops publishing a key; tokens can still be signed with it. */
  withdraw(kid: string): void;
  /** Publishes fresh key material under an existing `kid` (an IdP that changed a key in place). */
  replace(kid: string): Promise<IssuerKey>;
  /** Signs `claims` over defaults `iss` = this issuer, `iat` = now, `exp` = now + ttl; `undefined` drops a default. */
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** Faults applied to the next requests, one per request, in order. */
  injectFaults(...faults: JwksFault[]): void;
  /** A fault applied to every request until cleared with `undefined`. */
  setPersistentFault(fault: JwksFault | undefined): void;
  close(): Promise<void>;
}

async function generateIssuerKey(alg: SigningAlgorithm, kid: string = randomUUID()): Promise<IssuerKey> {
  const crv = alg === "EdDSA" || alg === "Ed25519" ? { crv: "Ed25519" } : {};
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...crv });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

export async function startJwksServer(options: JwksServerOptions = {}): Promise<JwksServer> {
  const algorithms = options.algorithms ?? ["RS256"];
  const keys = new Map<string, IssuerKey>();
  const published = new Set<string>();
  const requests = new Map<string, number>();
  const faults = new FaultQueue<JwksFault>();
  let active: IssuerKey | undefined;

  const add = (key: IssuerKey, activate: boolean): IssuerKey => {
    keys.set(key.kid, key);
    published.add(key.kid);
    if (activate || active === undefined) active = key;
    return key;
  };
  for (const alg of algorithms) add(await generateIssuerKey(alg), false);

  const issuerPath = options.issuerPath ?? "";
  let issuer = "";

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    countCall(requests, path);
    const faulted = await answerFault(faults.next(), response, {
      contentType: "application/json",
      status: () => ({ headers: { "content-type": "application/json" }, body: '{"error":"injected fault"}' }),
    });
    if (faulted) return;
    if (request.method !== "GET") {
      response.writeHead(405).end();
      return;
    }
    if (path === `${issuerPath}/.well-known/jwks.json`) {
      const body = { keys: [...published].map((kid) => keys.get(kid)?.publicJwk) };
      response.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify(body));
      return;
    }
    if (path === `${issuerPath}/.well-known/openid-configuration`) {
      const body = {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: [...new Set([...keys.values()].map((key) => key.alg))],
      };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    response.writeHead(404).end();
  };

  const { server, port } = await serveLoopback(handle, options.port);
  issuer = `http://127.0.0.1:${port}${issuerPath}`;

  const key = (kid: string): IssuerKey => {
    const found = keys.get(kid);
    if (found === undefined) throw new Error(`no key ${kid}`);
    return found;
  };

  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    requests,
    get activeKey() {
      if (active === undefined) throw new Error("the issuer has no key");
      return active;
    },
    get keys() {
      return [...keys.values()];
    },
    key,
    rotate: async (alg) => add(await generateIssuerKey(alg ?? active?.alg ?? "RS256"), true),
    withdraw: (kid) => void published.delete(kid),
    replace: async (kid) => add(await generateIssuerKey(key(kid).alg, kid), active?.kid === kid),
    sign: async (claims = {}, signOptions = {}) => {
      const signer = signOptions.kid === undefined ? active : key(signOptions.kid);
      if (signer === undefined) throw new Error("the issuer has no key");
      const now = Math.floor(Date.now() / 1000);
      const defaults: JWTPayload = { iss: issuer, iat: now, exp: now + (signOptions.ttlSeconds ?? 300) };
      // An explicit `undefined` in claims drops the default (e.g. a token without exp).
      const payload = Object.fromEntries(
        Object.entries({ ...defaults, ...claims }).filter(([, value]) => value !== undefined),
      );
      return new SignJWT(payload)
        .setProtectedHeader({ kid: signer.kid, ...signOptions.header, alg: signer.alg })
        .sign(signer.privateKey);
    },
    injectFaults: (...injected) => faults.inject(...injected),
    setPersistentFault: (fault) => faults.setPersistent(fault),
    close: () => closeServer(server),
  };
}
