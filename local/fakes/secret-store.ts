/**
 * Secrets Manager's model of a secret, as the loopback server keeps it: versions, and staging
 * labels each attached to one version; moving AWSCURRENT to a new version moves AWSPREVIOUS to the
 * old one. https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import { loopbackAws } from "./loopback-http.ts";

/** An error the service answers with its `__type` (e.g. ResourceNotFoundException). */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export interface StoredVersion {
  readonly versionId: string;
  readonly secretString: string;
  readonly createdAt: number;
}

export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly versions: Map<string, StoredVersion>;
  /** Staging label → version id. */
  readonly stages: Map<string, string>;
}

export function stagesOf(secret: StoredSecret, versionId: string): string[] {
  return [...secret.stages].filter(([, id]) => id === versionId).map(([stage]) => stage);
}

export function moveStage(secret: StoredSecret, stage: string, versionId: string): void {
  const old = secret.stages.get(stage);
  secret.stages.set(stage, versionId);
  if (stage === "AWSCURRENT" && old !== undefined && old !== versionId) secret.stages.set("AWSPREVIOUS", old);
}

/** Stores a version and makes it AWSCURRENT. */
export function addCurrentVersion(secret: StoredSecret, secretString: string): string {
  const versionId = randomUUID();
  secret.versions.set(versionId, { versionId, secretString, createdAt: Date.now() });
  moveStage(secret, "AWSCURRENT", versionId);
  return versionId;
}

export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();

  create(name: string, secretString?: string): { arn: string; versionId: string | undefined } {
    if (this.#secrets.has(name))
      throw new ServiceError("ResourceExistsException", `The secret ${name} already exists.`);
    const arn = `arn:aws:secretsmanager:${loopbackAws.region}:${loopbackAws.accountId}:secret:${name}-${randomBytes(3).toString("hex")}`;
    const secret: StoredSecret = { arn, name, versions: new Map(), stages: new Map() };
    this.#secrets.set(name, secret);
    return { arn, versionId: secretString === undefined ? undefined : addCurrentVersion(secret, secretString) };
  }

  /** By name or ARN. */
  find(secretId: unknown): StoredSecret {
    if (typeof secretId !== "string") throw new ServiceError("InvalidParameterException", "SecretId is required");
    const secret =
      this.#secrets.get(secretId) ?? [...this.#secrets.values()].find((candidate) => candidate.arn === secretId);
    if (secret === undefined)
      throw new ServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  }
}
