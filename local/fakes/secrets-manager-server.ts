/**
 * A Secrets Manager-compatible endpoint on 127.0.0.1, speaking the service's JSON 1.1 wire protocol
 * to the real AWS SDK client (point it here with AWS_ENDPOINT_URL_SECRETS_MANAGER). It keeps
 * versions and staging labels the way the service does (secret-store.ts), so rotation runs for
 * real, and it can be told to fail (delay, 5xx, throttling, garbage) to exercise timeouts and
 * fail-closed paths.
 *
 * Covers the calls this project makes: GetSecretValue, PutSecretValue, DescribeSecret,
 * UpdateSecretVersionStage, GetRandomPassword, CreateSecret.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { answerFault, closeServer, countCall, FaultQueue, serveLoopback } from "./loopback-http.ts";
import { addCurrentVersion, moveStage, SecretStore, ServiceError, stagesOf } from "./secret-store.ts";

export type Fault =
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number; readonly type: string }
  | { readonly kind: "garbage" };

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

type Input = Record<string, unknown>;
interface State {
  readonly store: SecretStore;
  readonly stageReads: Map<string, number>;
}
const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function getSecretValue({ store, stageReads }: State, input: Input) {
  const stage = optionalString(input.VersionStage);
  countCall(stageReads, stage ?? "");
  const secret = store.find(input.SecretId);
  const versionId = optionalString(input.VersionId) ?? secret.stages.get(stage ?? "AWSCURRENT");
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
}

/** A ClientRequestToken names the version, so a retried call is idempotent. */
function putSecretValue({ store }: State, input: Input) {
  const secret = store.find(input.SecretId);
  const versionId = optionalString(input.ClientRequestToken) ?? randomUUID();
  const secretString = optionalString(input.SecretString) ?? "";
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
}

function describeSecret({ store }: State, input: Input) {
  const secret = store.find(input.SecretId);
  const versionIdsToStages: Record<string, string[]> = {};
  for (const versionId of secret.versions.keys()) {
    const stages = stagesOf(secret, versionId);
    if (stages.length > 0) versionIdsToStages[versionId] = stages;
  }
  return { ARN: secret.arn, Name: secret.name, RotationEnabled: true, VersionIdsToStages: versionIdsToStages };
}

function updateSecretVersionStage({ store }: State, input: Input) {
  const secret = store.find(input.SecretId);
  const stage = String(input.VersionStage);
  const remove = optionalString(input.RemoveFromVersionId);
  const move = optionalString(input.MoveToVersionId);
  if (remove !== undefined && secret.stages.get(stage) !== remove) {
    throw new ServiceError(
      "InvalidParameterException",
      `The staging label ${stage} is not attached to version ${remove}.`,
    );
  }
  if (move === undefined) secret.stages.delete(stage);
  else {
    if (!secret.versions.has(move)) throw new ServiceError("ResourceNotFoundException", `Version ${move} not found.`);
    moveStage(secret, stage, move);
  }
  return { ARN: secret.arn, Name: secret.name };
}

function getRandomPassword(_state: State, input: Input) {
  const length = typeof input.PasswordLength === "number" ? input.PasswordLength : 32;
  if (length < 1 || length > 4096)
    throw new ServiceError("InvalidParameterException", "PasswordLength must be 1..4096");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return { RandomPassword: Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("") };
}

function createSecret({ store }: State, input: Input) {
  const { arn, versionId } = store.create(String(input.Name), optionalString(input.SecretString));
  return { ARN: arn, Name: input.Name, VersionId: versionId };
}

const actions: Readonly<Record<string, (state: State, input: Input) => unknown>> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DescribeSecret: describeSecret,
  UpdateSecretVersionStage: updateSecretVersionStage,
  GetRandomPassword: getRandomPassword,
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

const failure = (type: string, message: string | undefined, status = 400): Answer => ({
  status,
  body: { __type: type, message },
  errorType: type,
});

/** The answer to one call; a body that is not JSON is an InvalidRequestException. */
function answer(state: State, operation: string, body: Buffer): Answer {
  const action = actions[operation];
  if (action === undefined) return failure("UnknownOperationException", undefined);
  try {
    return { status: 200, body: action(state, JSON.parse(body.toString("utf8") || "{}") as Input) };
  } catch (error) {
    if (error instanceof ServiceError) return failure(error.type, error.message, error.status);
    return failure("InvalidRequestException", "malformed request");
  }
}

const headers = (errorType: string | undefined): Record<string, string> => ({
  "content-type": "application/x-amz-json-1.1",
  "x-amzn-requestid": randomUUID(),
  ...(errorType === undefined ? {} : { "x-amzn-errortype": errorType }),
});

export async function startSecretsManagerServer(port = 0): Promise<SecretsManagerServer> {
  const state: State = { store: new SecretStore(), stageReads: new Map() };
  const { store, stageReads } = state;
  const calls = new Map<string, number>();
  const faults = new FaultQueue<Fault>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await buffer(request);
    // A JSON 1.1 request names its operation in X-Amz-Target, e.g. `secretsmanager.GetSecretValue`.
    const target = request.headers["x-amz-target"];
    const operation = typeof target === "string" ? target.replace(/^secretsmanager\./, "") : "";
    countCall(calls, operation);
    const faulted = await answerFault(faults.next(), response, {
      contentType: "application/x-amz-json-1.1",
      status: ({ type }) => ({
        headers: headers(type),
        body: JSON.stringify({ __type: type, message: "injected fault" }),
      }),
    });
    if (faulted) return;
    const answered = answer(state, operation, body);
    response.writeHead(answered.status, headers(answered.errorType)).end(JSON.stringify(answered.body));
  };

  const server = await serveLoopback(handle, port);
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    calls,
    stageReads,
    createSecret: (name, secretString) => store.create(name, secretString),
    rotate: (secretId, secretString) => addCurrentVersion(store.find(secretId), secretString),
    injectFaults: (...injected) => faults.inject(...injected),
    setPersistentFault: (fault) => faults.setPersistent(fault),
    close: () => closeServer(server.server),
  };
}
