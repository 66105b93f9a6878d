/**
 * The packaged authorizer (what `npm run build` zips), run as Lambda would run it: a fresh Node
 * process importing `index.mjs` with the configuration in its environment. A JWKS-only
 * configuration must decide with every lazily loaded chunk deleted, which proves the AWS SDK is
 * never loaded for it; an HS256 configuration loads the SDK chunk and decides too.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { unzipSync } from "fflate";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { buildPackage } from "../../scripts/lambda-packages.ts";
import { tokenEvent } from "../support/authorizer-events.ts";
import { runPackagedHandler, writePackage } from "../support/packaged-lambda.ts";

/** Only the Secrets Manager client holds its service's endpoint prefix. */
const sdkMarker = "secretsmanager";

/** Relative specifiers a module imports statically (`import … from "./x.mjs"`, `import "./x.mjs"`). */
function staticImports(source: string): string[] {
  return [...source.matchAll(/import\s*(?:[\w$\s{},*]+from\s*)?"(\.{1,2}\/[^"]+)"/g)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  );
}

function staticClosure(files: Readonly<Record<string, Uint8Array>>, entry: string): Set<string> {
  const reached = new Set<string>();
  const visit = (path: string): void => {
    if (reached.has(path) || files[path] === undefined) return;
    reached.add(path);
    const source = new TextDecoder().decode(files[path]);
    for (const specifier of staticImports(source)) visit(posix.normalize(posix.join(posix.dirname(path), specifier)));
  };
  visit(entry);
  return reached;
}

const runBundle = (directory: string, env: Record<string, string>, event: unknown) =>
  runPackagedHandler<{ readonly principalId: string }>(directory, env, event);

describe("the packaged authorizer", () => {
  let files: Record<string, Uint8Array>;
  let eager: Set<string>;
  let jwks: JwksServer;
  let secrets: SecretsManagerServer;
  let workspace: string;

  const unpack = async (keep: (path: string) => boolean): Promise<string> => {
    const directory = await mkdtemp(join(workspace, "bundle-"));
    await writePackage(files, directory, keep);
    return directory;
  };

  beforeAll(async () => {
    const built = await buildPackage("authorizer");
    files = unzipSync(built.bytes);
    eager = staticClosure(files, "index.mjs");
    [jwks, secrets] = await Promise.all([startJwksServer(), startSecretsManagerServer()]);
    workspace = await mkdtemp(join(tmpdir(), "authorizer-bundle-"));
  });

  afterAll(async () => {
    await Promise.all([jwks.close(), secrets.close(), rm(workspace, { recursive: true, force: true })]);
  });

  it("keeps the AWS SDK out of everything index.mjs loads eagerly", () => {
    // Prepare
    const decoder = new TextDecoder();
    const sdkFiles = Object.keys(files).filter((path) => decoder.decode(files[path]).includes(sdkMarker));
    const eagerBytes = [...eager].reduce((total, path) => total + (files[path]?.length ?? 0), 0);

    // Assess
    expect(sdkFiles.length).toBeGreaterThan(0);
    expect(sdkFiles.filter((path) => eager.has(path))).toEqual([]);
    // jose, zod/mini and the authorizer: a regression that pulls the SDK in would add ~400 KB.
    expect(eagerBytes).toBeLessThan(100_000);
  });

  it("decides a JWKS-only configuration with every lazily loaded chunk deleted", async () => {
    // Prepare
    const directory = await unpack((path) => eager.has(path));
    const token = await jwks.sign({ sub: "bundle-user", aud: "api" });
    const env = {
      JWT_ISSUERS: JSON.stringify([{ type: "oidc", issuer: jwks.issuer, jwks_uri: jwks.jwksUri, audiences: ["api"] }]),
    };

    // Act
    const outcome = await runBundle(directory, env, tokenEvent(`Bearer ${token}`));

    // Assess
    expect(outcome).toMatchObject({ result: { principalId: "bundle-user" } });
  });

  it("loads the SDK chunk for an HS256 issuer and decides over the Secrets Manager wire protocol", async () => {
    // Prepare
    const directory = await unpack(() => true);
    const name = `bundle-${randomBytes(4).toString("hex")}`;
    const secret = newSigningKeySecret();
    const { versionId } = secrets.createSecret(name, secret);
    const env = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      JWT_ISSUERS: JSON.stringify([
        { type: "hs256", issuer: "https://hs.example", audiences: ["api"], secret_arn: name },
      ]),
    };
    const token = await new SignJWT({ sub: "hs-bundle-user", aud: "api" })
      .setProtectedHeader({ alg: "HS256", kid: versionId ?? "" })
      .setIssuer("https://hs.example")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importHmacKey(keyBytesFromSecret(secret)));

    // Act
    const outcome = await runBundle(directory, env, tokenEvent(token));

    // Assess
    expect(outcome).toMatchObject({ result: { principalId: "hs-bundle-user" } });
  });

  it("answers Unauthorized, not a crash, when the configuration is invalid", async () => {
    // Prepare
    const directory = await unpack((path) => eager.has(path));

    // Act
    const outcome = await runBundle(directory, { JWT_ISSUERS: "[" }, tokenEvent("x.y.z"));

    // Assess
    expect(outcome).toEqual({ error: "Unauthorized" });
  });
});
