/**
 * A Secrets Manager-compatible endpoint on 127.0.0.1, speaking the service's JSON 1.1 wire protocol
 * to the real AWS SDK client (point it here with AWS_ENDPOINT_URL_SECRETS_MANAGER). It keeps
 * versions and staging labels the way the service does, so rotation runs for real, and it can be
 * told to fail (delay, 5xx, throttling, garbage) to exercise timeouts and fail-closed paths.
 *
 * Covers the calls this project makes: GetSecretValue, PutSecretValue, DescribeSecret,
 * UpdateSecretVersionStage, GetRandomPassword, CreateSecret.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { answerFault, closeServer, listen, readBody } from "./loopback-http.ts";

export type Fault =
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number; readonly type: string }
  | { readonly kind: "garbage" };

interface StoredVersion {
  readonly versionId: string;
  readonly secretString: string;
  readonly createdAt: number;
}

interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly versions: Map<string, StoredVersion>;
  /** Staging label → version id. */
  readonly stages: Map<string, string>;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export interface SecretsManagerServer {
  readonly endpoint: string;
  /** Calls received, by operation name (e.g. "GetSecretValue"). */
  readonly calls: Map<string, number>;
  /** GetSecretValue calls by the staging label asked for ("AWSCURRENT", "AWSPREVIOUS", or "" for a VersionId). */
  readonly stageReads: Map<string, number>;
  createSecret(name: string, secretString?: string): { arn: string; versionId: string | undefined };
  /** Stores a new version as AWSCURRENT, moving the old one to AWSPREVIOUS, like a finished rotation. */
  rotate(secretId: string, secretString: string): string;
  /** Faults applied to the next requests, one per request, in order. */
  injectFaults(...faults: Fault[]): void;
  /** A fault applied to every request until cleared with `undefined`. */
  setPersistentFault(fault: Fault | undefined): void;
  close(): Promise<void>;
}

const region = "us-east-1";
const account = "000000000000";

export async function startSecretsManagerServer(port = 0): Promise<SecretsManagerServer> {
  const secrets = new Map<string, StoredSecret>();
  const calls = new Map<string, number>();
  const stageReads = new Map<string, number>();
  const pendingFaults: Fault[] = [];
  let persistentFault: Fault | undefined;

  const find = (secretId: unknown): StoredSecret => {
    if (typeof secretId !== "string") throw new ServiceError("InvalidParameterException", "SecretId is required");
    const secret = secrets.get(secretId) ?? [...secrets.values()].find((candidate) => candidate.arn === secretId);
    if (secret === undefined)
      throw new ServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  };

  const stagesOf = (secret: StoredSecret, versionId: string): string[] =>
    [...secret.stages].filter(([, id]) => id === versionId).map(([stage]) => stage);

  const moveStage = (secret: StoredSecret, stage: string, versionId: string): void => {
    const old = secret.stages.get(stage);
    secret.stages.set(stage, versionId);
    if (stage === "AWSCURRENT" && old !== undefined && old !== versionId) secret.stages.set("AWSPREVIOUS", old);
  };

  const createSecret = (name: string, secretString?: string): { arn: string; versionId: string | undefined } => {
    if (secrets.has(name)) throw new ServiceError("ResourceExistsException", `The secret ${name} already exists.`);
    const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${randomBytes(3).toString("hex")}`;
    const secret: StoredSecret = { arn, name, versions: new Map(), stages: new Map() };
    secrets.set(name, secret);
    if (secretString === undefined) return { arn, versionId: undefined };
    const versionId = randomUUID();
    secret.versions.set(versionId, { versionId, secretString, createdAt: Date.now() });
    moveStage(secret, "AWSCURRENT", versionId);
    return { arn, versionId };
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateSecret: (input) => {
      const { arn, versionId } = createSecret(
        String(input.Name),
        typeof input.SecretString === "string" ? input.SecretString : undefined,
      );
      return { ARN: arn, Name: input.Name, VersionId: versionId };
    },
    GetSecretValue: (input) => {
      const stage = typeof input.VersionStage === "string" ? input.VersionStage : undefined;
      stageReads.set(stage ?? "", (stageReads.get(stage ?? "") ?? 0) + 1);
      const secret = find(input.SecretId);
      const versionId =
        typeof input.VersionId === "string" ? input.VersionId : secret.stages.get(stage ?? "AWSCURRENT");
      const version = versionId === undefined ? undefined : secret.versions.get(versionId);
      if (version === undefined || (stage !== undefined && secret.stages.get(stage) !== version.versionId)) {
        throw new ServiceError(
          "ResourceNotFoundException",
          `Secrets Manager can't find the specified secret value for ${stage === undefined ? "VersionId" : `staging label: ${stage}`}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: stagesOf(secret, version.versionId),
        CreatedDate: version.createdAt / 1000,
      };
    },
    PutSecretValue: (input) => {
      const secret = find(input.SecretId);
      const versionId = typeof input.ClientRequestToken === "string" ? input.ClientRequestToken : randomUUID();
      const secretString = typeof input.SecretString === "string" ? input.SecretString : "";
      const existing = secret.versions.get(versionId);
      if (existing !== undefined && existing.secretString !== secretString) {
        throw new ServiceError(
          "ResourceExistsException",
          "A version with this ClientRequestToken already exists with different contents.",
        );
      }
      secret.versions.set(versionId, existing ?? { versionId, secretString, createdAt: Date.now() });
      const stages = Array.isArray(input.VersionStages) ? input.VersionStages.map(String) : ["AWSCURRENT"];
      for (const stage of stages) moveStage(secret, stage, versionId);
      return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: stages };
    },
    DescribeSecret: (input) => {
      const secret = find(input.SecretId);
      const versionIdsToStages: Record<string, string[]> = {};
      for (const versionId of secret.versions.keys()) {
        const stages = stagesOf(secret, versionId);
        if (stages.length > 0) versionIdsToStages[versionId] = stages;
      }
      return { ARN: secret.arn, Name: secret.name, RotationEnabled: true, VersionIdsToStages: versionIdsToStages };
    },
    UpdateSecretVersionStage: (input) => {
      const secret = find(input.SecretId);
      const stage = String(input.VersionStage);
      const remove = typeof input.RemoveFromVersionId === "string" ? input.RemoveFromVersionId : undefined;
      const move = typeof input.MoveToVersionId === "string" ? input.MoveToVersionId : undefined;
      if (remove !== undefined && secret.stages.get(stage) !== remove) {
        throw new ServiceError(
          "InvalidParameterException",
          `The staging label ${stage} is not attached to version ${remove}.`,
        );
      }
      if (move === undefined) secret.stages.delete(stage);
      else {
        if (!secret.versions.has(move))
          throw new ServiceError("ResourceNotFoundException", `Version ${move} not found.`);
        moveStage(secret, stage, move);
      }
      return { ARN: secret.arn, Name: secret.name };
    },
    GetRandomPassword: (input) => {
      const length = typeof input.PasswordLength === "number" ? input.PasswordLength : 32;
      if (length < 1 || length > 4096)
        throw new ServiceError("InvalidParameterException", "PasswordLength must be 1..4096");
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      const bytes = randomBytes(length);
      return { RandomPassword: Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("") };
    },
  };

  const send = (response: ServerResponse, status: number, body: unknown, errorType?: string): void => {
    const headers: Record<string, string> = {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-requestid": randomUUID(),
    };
    if (errorType !== undefined) headers["x-amzn-errortype"] = errorType;
    response.writeHead(status, headers).end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const target = request.headers["x-amz-target"];
    const operation = typeof target === "string" ? target.replace(/^secretsmanager\./, "") : "";
    calls.set(operation, (calls.get(operation) ?? 0) + 1);

    const fault = pendingFaults.shift() ?? persistentFault;
    const faulted = await answerFault(fault, response, {
      contentType: "application/x-amz-json-1.1",
      status: ({ type }) => ({
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": randomUUID(),
          "x-amzn-errortype": type,
        },
        body: JSON.stringify({ __type: type, message: "injected fault" }),
      }),
    });
    if (faulted) return;

    const implementation = operations[operation];
    if (implementation === undefined) {
      send(response, 400, { __type: "UnknownOperationException" }, "UnknownOperationException");
      return;
    }
    try {
      const input = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
      send(response, 200, implementation(input));
    } catch (error) {
      if (error instanceof ServiceError) {
        send(response, error.status, { __type: error.type, message: error.message }, error.type);
        return;
      }
      send(
        response,
        400,
        { __type: "InvalidRequestException", message: "malformed request" },
        "InvalidRequestException",
      );
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  const boundPort = await listen(server, port);

  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    calls,
    stageReads,
    createSecret,
    rotate: (secretId, secretString) => {
      const secret = find(secretId);
      const versionId = randomUUID();
      secret.versions.set(versionId, { versionId, secretString, createdAt: Date.now() });
      moveStage(secret, "AWSCURRENT", versionId);
      return versionId;
    },
    injectFaults: (...faults) => pendingFaults.push(...faults),
    setPersistentFault: (fault) => {
      persistentFault = fault;
    },
    close: () => closeServer(server),
  };
}
