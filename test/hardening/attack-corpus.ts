/**
 * The attack corpus (test/fixtures/attack-corpus/*.json) and the builder that turns each entry
 * into a token at test time, from keys generated in the run. An entry describes a mutation of a
 * valid token of an issuer kind; building it with `attack: false` applies the same construction
 * with the attack left out, which is the entry's control: the suite requires the control to be
 * allowed, so a rejection of the attack can only be due to the attack.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CompactEncrypt, exportSPKI } from "jose";
import * as z from "zod";
import {
  craftToken,
  encodeJson,
  hmacWithPublicKey,
  signInput,
  unencodedPayloadToken,
  base64url,
} from "../support/tokens.ts";
import {
  issuerKindNames,
  type AttackerKeys,
  type IssuerKind,
  type IssuerKindName,
  type KeyFamily,
  type SigningMaterial,
} from "./issuer-lab.ts";
import { createHmac, randomBytes } from "node:crypto";

export const corpusDirectory = join(import.meta.dirname, "..", "fixtures", "attack-corpus");

const record = z.record(z.string(), z.unknown());

const buildSchema = z.discriminatedUnion("kind", [
  /** The header's `alg` replaced; the signature emptied or kept from the valid token. */
  z.strictObject({ kind: z.literal("alg-none"), alg: z.string(), signature: z.enum(["empty", "original"]) }),
  /** The same key, signing under a sibling algorithm the issuer is not pinned to. */
  z.strictObject({ kind: z.literal("alg-substitution") }),
  /** HMAC keyed with the issuer's public key (RS/ES → HS256 confusion). */
  z.strictObject({ kind: z.literal("hmac-with-public-key"), keyFormat: z.enum(["spki-pem", "jwk-json"]) }),
  /** Signed by an attacker's key of the same or another family, with the issuer's kid, none, or a random one. */
  z.strictObject({
    kind: z.literal("foreign-key"),
    keyFamily: z.enum(["same", "other"]),
    kid: z.enum(["issuer", "none", "random"]),
  }),
  /** A key-carrying header parameter, with the token signed by the attacker's key or by the issuer's own. */
  z.strictObject({
    kind: z.literal("embedded-key"),
    parameter: z.enum(["jwk", "jku", "x5u", "x5c"]),
    signer: z.enum(["attacker", "issuer"]),
  }),
  /** Header parameters set or removed; signed with the issuer's key. */
  z.strictObject({ kind: z.literal("header"), set: z.optional(record), remove: z.optional(z.array(z.string())) }),
  /** Claims set (`{"$now": ±seconds}` for times) or removed; signed with the issuer's key. */
  z.strictObject({ kind: z.literal("claims"), set: z.optional(record), remove: z.optional(z.array(z.string())) }),
  /** This issuer's claims signed by another configured issuer's key, with that issuer's kid or this one's. */
  z.strictObject({ kind: z.literal("cross-issuer"), kid: z.enum(["signer", "target"]) }),
  /** Signed by the retired key (withdrawn from the JWKS, rotated out of the secret), with or without its kid. */
  z.strictObject({ kind: z.literal("retired-key"), kid: z.enum(["keep", "none"]) }),
  /** HS256 with a guessable secret (a dictionary word padded to 32 bytes, jwt.io's sample secret…). */
  z.strictObject({ kind: z.literal("guessable-secret"), secret: z.string() }),
  /** RFC 7797 unencoded payload (`b64: false` in `crit`), signed with the issuer's key. */
  z.strictObject({ kind: z.literal("unencoded-payload") }),
  /** The valid token's signature replaced. */
  z.strictObject({
    kind: z.literal("signature"),
    replace: z.enum(["zeros", "ecdsa-order", "truncate", "flip-bit", "empty", "other-token"]),
  }),
  /** The valid token's payload replaced by one with escalated claims, header and signature kept. */
  z.strictObject({ kind: z.literal("payload-swap"), set: record }),
  /**
   * The `authorizationToken` as a template over the valid token: `{token}`, `{header}`,
   * `{payload}`, `{signature}`; the control is `Bearer {token}`.
   */
  z.strictObject({ kind: z.literal("template"), value: z.string() }),
  /** A duplicated JSON member whose lexically last value is the hostile one. */
  z.strictObject({
    kind: z.literal("duplicate-key"),
    part: z.enum(["header", "payload"]),
    name: z.string(),
    last: z.unknown(),
  }),
  /** A header or payload padded to many characters (the control pads a little). */
  z.strictObject({
    kind: z.literal("oversized"),
    part: z.enum(["header", "payload"]),
    characters: z.number().int().positive(),
  }),
  /** The claims as a compact JWE (dir, A256GCM): with the HS256 secret itself for hs256. */
  z.strictObject({ kind: z.literal("jwe") }),
  /** A valid token nested as the payload of an unsigned or issuer-signed outer JWS (`cty: JWT`). */
  z.strictObject({ kind: z.literal("nested"), outer: z.enum(["none", "issuer"]) }),
  /**
   * A valid token whose authority is misplaced or misshaped; the control carries `groups: ["admins"]`
   * (`cognito:groups` for Cognito) and `scope: "orders:write"`. `$groups` stands for the kind's
   * groups claim and `$otherGroups` for the other dialect's.
   */
  z.strictObject({ kind: z.literal("authority"), claims: z.optional(record), header: z.optional(record) }),
]);
export type Build = z.infer<typeof buildSchema>;

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(10),
  /** RFC 8725 section, OWASP JWT cheat sheet entry, CVE id… */
  source: z.string().min(5),
  build: buildSchema,
  expect: z.union([z.literal(401), z.literal(403)]),
  /** The issuer kinds the attack applies to. */
  issuers: z.union([z.literal("all"), z.array(z.enum(issuerKindNames)).min(1)]),
  /** `VERB /path` asked about; `GET /api` (open to any valid token) when omitted. */
  route: z.optional(z.string().regex(/^[A-Z]+ \/\S*$/)),
});
export type CorpusEntry = z.infer<typeof entrySchema> & { readonly file: string };

export function loadCorpus(directory: string = corpusDirectory): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const parsed = z.array(entrySchema).parse(JSON.parse(readFileSync(join(directory, file), "utf8")));
    entries.push(...parsed.map((entry) => ({ ...entry, file })));
  }
  return entries;
}

export function appliesTo(entry: CorpusEntry, kind: IssuerKindName): boolean {
  return entry.issuers === "all" || entry.issuers.includes(kind);
}

export interface BuildContext {
  readonly kind: IssuerKind;
  readonly attacker: AttackerKeys;
  /** Another configured issuer, for cross-issuer confusion. */
  readonly other: IssuerKind;
}

type Json = Record<string, unknown>;

/** `{"$now": -120}` → now − 120 s; `$groups`/`$otherGroups` keys → the kind's group claims. */
function resolve(values: Json, kind: IssuerKind): Json {
  const otherGroups = kind.groupsClaim === "groups" ? "cognito:groups" : "groups";
  const resolved: Json = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key === "$groups" ? kind.groupsClaim : key === "$otherGroups" ? otherGroups : key;
    const offset = typeof value === "object" && value !== null && "$now" in value ? value.$now : undefined;
    resolved[name] = typeof offset === "number" ? Math.floor(Date.now() / 1000) + offset : value;
  }
  return resolved;
}

function edit(base: Json, set: Json | undefined, remove: readonly string[] | undefined, kind: IssuerKind): Json {
  const result: Json = { ...base, ...resolve(set ?? {}, kind) };
  for (const name of remove ?? []) Reflect.deleteProperty(result, name);
  return result;
}

/** A compact JWS over exact header and payload texts (so duplicate members survive), signed as the header says. */
async function compactOverText(
  headerText: string,
  payloadText: string,
  signer: SigningMaterial,
  alg: string,
): Promise<string> {
  const signingInput = `${base64url(headerText)}.${base64url(payloadText)}`;
  return `${signingInput}.${await signInput(alg, signer.privateKey, signingInput)}`;
}

/** Algorithms the signer can produce; a header naming anything else (none, "", a list) is signed with the key's own. */
const signingAlgorithms = new Set([
  "HS256",
  "HS512",
  "RS256",
  "RS512",
  "PS256",
  "PS512",
  "ES256",
  "ES384",
  "EdDSA",
  "Ed25519",
]);

/** Signs with the header's alg when it is one the key can produce, else with the key's own; the header is kept as given. */
const sign = (header: Json, payload: unknown, signer: SigningMaterial): Promise<string> => {
  const alg = typeof header.alg === "string" && signingAlgorithms.has(header.alg) ? header.alg : signer.alg;
  return alg === header.alg
    ? craftToken(header, payload, signer.privateKey)
    : compactOverText(JSON.stringify(header), JSON.stringify(payload), signer, alg);
};

const otherFamily: Record<KeyFamily, KeyFamily> = { hmac: "rsa", rsa: "ec", "rsa-pss": "ec", ec: "rsa", okp: "rsa" };

/** Same key, sibling algorithm: what a verifier taking `alg` from the token would accept. */
async function siblingSigner(kind: IssuerKind): Promise<{ alg: string; key: SigningMaterial }> {
  const current = kind.current;
  switch (kind.family) {
    case "hmac": {
      const bytes = Buffer.from(String(current.jwk.k), "base64url");
      const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
      return { alg: "HS512", key: { ...current, privateKey: key } };
    }
    case "rsa":
      return { alg: "RS512", key: current };
    case "rsa-pss":
      return { alg: "PS512", key: current };
    case "ec":
      return { alg: "ES384", key: current };
    case "okp":
      return { alg: "Ed25519", key: current };
  }
}

/** The P-256 group order n: r = s = n is as invalid as r = s = 0, and some checks only refuse zero. */
const p256Order = Buffer.from("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", "hex");

const spkiBase64 = async (key: SigningMaterial): Promise<string> =>
  key.publicKey === undefined
    ? Buffer.from(String(key.jwk.k), "base64url").toString("base64")
    : (await exportSPKI(key.publicKey)).replace(/-----[A-Z ]+-----|\s/g, "");

/**
 * The `authorizationToken` for one entry against one issuer kind: the attack, or (attack false)
 * the same construction without it.
 */
export async function buildAuthorization(entry: CorpusEntry, context: BuildContext, attack: boolean): Promise<string> {
  const { kind, attacker, other } = context;
  const header = kind.header();
  const claims = kind.claims();
  const valid = (): Promise<string> => sign(header, claims, kind.current);
  const bearer = async (token: Promise<string> | string): Promise<string> => `Bearer ${await token}`;
  const build = entry.build;

  switch (build.kind) {
    case "alg-none": {
      if (!attack) return bearer(valid());
      const signature = build.signature === "empty" ? "" : ((await valid()).split(".")[2] ?? "");
      return bearer(`${encodeJson({ ...header, alg: build.alg })}.${encodeJson(claims)}.${signature}`);
    }
    case "alg-substitution": {
      if (!attack) return bearer(valid());
      const { alg, key } = await siblingSigner(kind);
      return bearer(craftToken({ ...header, alg }, claims, key.privateKey));
    }
    case "hmac-with-public-key": {
      if (!attack || kind.current.publicKey === undefined) return bearer(valid());
      if (build.keyFormat === "spki-pem") return bearer(hmacWithPublicKey(kind.current.publicKey, header, claims));
      const signingInput = `${encodeJson({ ...header, alg: "HS256" })}.${encodeJson(claims)}`;
      const mac = createHmac("sha256", JSON.stringify(kind.current.jwk)).update(signingInput).digest("base64url");
      return bearer(`${signingInput}.${mac}`);
    }
    case "foreign-key": {
      if (!attack) return bearer(valid());
      const key = attacker.get(build.keyFamily === "same" ? kind.family : otherFamily[kind.family]);
      const attackHeader: Json = { ...header, alg: key.alg };
      if (build.kid === "none") Reflect.deleteProperty(attackHeader, "kid");
      if (build.kid === "random") attackHeader.kid = randomBytes(8).toString("hex");
      return bearer(sign(attackHeader, claims, key));
    }
    case "embedded-key": {
      if (!attack) return bearer(valid());
      const key = build.signer === "attacker" ? attacker.get(kind.family) : kind.current;
      const values: Record<typeof build.parameter, unknown> = {
        jwk: key.jwk,
        jku: "https://attacker.example/.well-known/jwks.json",
        x5u: "https://attacker.example/cert.pem",
        x5c: [await spkiBase64(key)],
      };
      return bearer(sign({ ...header, alg: key.alg, [build.parameter]: values[build.parameter] }, claims, key));
    }
    case "header":
      return bearer(attack ? sign(edit(header, build.set, build.remove, kind), claims, kind.current) : valid());
    case "claims":
      return bearer(attack ? sign(header, edit(claims, build.set, build.remove, kind), kind.current) : valid());
    case "cross-issuer": {
      if (!attack) return bearer(valid());
      const signerHeader = { ...other.header(), kid: build.kid === "signer" ? other.current.kid : kind.current.kid };
      return bearer(sign(signerHeader, claims, other.current));
    }
    case "retired-key": {
      const signer = attack ? kind.retired : kind.current;
      const keyHeader: Json = { ...header, kid: signer.kid };
      if (build.kid === "none") Reflect.deleteProperty(keyHeader, "kid");
      return bearer(sign(keyHeader, claims, signer));
    }
    case "guessable-secret": {
      if (!attack) return bearer(valid());
      const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
      return bearer(`${signingInput}.${createHmac("sha256", build.secret).update(signingInput).digest("base64url")}`);
    }
    case "unencoded-payload":
      return bearer(attack ? unencodedPayloadToken(header, claims, kind.current.privateKey) : valid());
    case "signature": {
      const token = await valid();
      if (!attack) return bearer(token);
      const [h = "", p = "", s = ""] = token.split(".");
      const bytes = Buffer.from(s, "base64url");
      const replaced: Record<typeof build.replace, () => Promise<string> | string> = {
        zeros: () => base64url(new Uint8Array(bytes.length)),
        "ecdsa-order": () => base64url(Buffer.concat([p256Order, p256Order])),
        truncate: () => base64url(bytes.subarray(0, bytes.length - 1)),
        "flip-bit": () => {
          const flipped = Buffer.from(bytes);
          flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0x01;
          return base64url(flipped);
        },
        empty: () => "",
        "other-token": async () =>
          (await sign(header, { ...claims, sub: "someone-else" }, kind.current)).split(".")[2] ?? "",
      };
      return bearer(`${h}.${p}.${await replaced[build.replace]()}`);
    }
    case "payload-swap": {
      const token = await valid();
      if (!attack) return bearer(token);
      const [h = "", , s = ""] = token.split(".");
      return bearer(`${h}.${encodeJson(edit(claims, build.set, undefined, kind))}.${s}`);
    }
    case "template": {
      const token = await valid();
      if (!attack) return bearer(token);
      const [h = "", p = "", s = ""] = token.split(".");
      return build.value
        .replaceAll("{token}", token)
        .replaceAll("{header}", h)
        .replaceAll("{payload}", p)
        .replaceAll("{signature}", s);
    }
    case "duplicate-key": {
      const part = build.part === "header" ? header : claims;
      const text = JSON.stringify(part);
      const last = JSON.stringify(resolve({ value: build.last }, kind).value);
      const duplicated = attack ? `${text.slice(0, -1)},${JSON.stringify(build.name)}:${last}}` : text;
      const [headerText, payloadText] =
        build.part === "header" ? [duplicated, JSON.stringify(claims)] : [JSON.stringify(header), duplicated];
      return bearer(compactOverText(headerText, payloadText, kind.current, String(header.alg)));
    }
    case "oversized": {
      const padding = "x".repeat(attack ? build.characters : 16);
      return bearer(
        build.part === "header"
          ? sign({ ...header, pad: padding }, claims, kind.current)
          : sign(header, { ...claims, pad: padding }, kind.current),
      );
    }
    case "jwe": {
      if (!attack) return bearer(valid());
      const key = kind.family === "hmac" ? Buffer.from(String(kind.current.jwk.k), "base64url") : randomBytes(32);
      const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({
          alg: "dir",
          enc: "A256GCM",
          kid: kind.current.kid,
          typ: typeof header.typ === "string" ? header.typ : "JWT",
        })
        .encrypt(new Uint8Array(key));
      return bearer(jwe);
    }
    case "nested": {
      const inner = await valid();
      if (!attack) return bearer(inner);
      if (build.outer === "none") return bearer(`${encodeJson({ alg: "none", cty: "JWT" })}.${base64url(inner)}.`);
      const outerHeader = { ...header, cty: "JWT" };
      return bearer(compactOverText(JSON.stringify(outerHeader), inner, kind.current, String(header.alg)));
    }
    case "authority": {
      const granted = { ...claims, [kind.groupsClaim]: ["admins"], scope: "orders:write" };
      if (!attack) return bearer(sign(header, granted, kind.current));
      const attackClaims = edit(claims, build.claims, undefined, kind);
      const attackHeader = edit(header, build.header, undefined, kind);
      return bearer(sign(attackHeader, attackClaims, kind.current));
    }
  }
}
