/**
 * Starts everything a Terraform root's plan describes, on 127.0.0.1: the services it needs, one
 * process per function from its planned package, and the API Gateway front (REST, plus WebSocket
 * APIs on the same port). `close()` stops all of it.
 */
import { createServer } from "node:http";
import { AuthorizerCache } from "./gateway/authorizer-cache.ts";
import { startLocalCognito, withLocalIssuers, type LocalCognito } from "./cognito-services.ts";
import { demoUsersFor, seedDemoUsers, type DemoUser } from "./demo-users.ts";
import { createClientErrorHandler, createGatewayHandler } from "./gateway/gateway.ts";
import { LambdaRunner, type InvokeResult, type LambdaInvoker } from "./lambda/lambda-runner.ts";
import { closeServer, countCall, listen } from "./fakes/loopback-http.ts";
import {
  localAccountId,
  localCredentials,
  localRegion,
  rewriteEnvironment,
  startLocalServices,
} from "./local-services.ts";
import { startExamplePage, type ExamplePage } from "./page-server.ts";
import { plannedSigningAlgorithm, stageUrlIssuerRewrites } from "./signing-keys.ts";
import { buildApiModel, type ApiModel } from "./terraform/plan-model.ts";
import type { FunctionModel } from "./terraform/plan-functions.ts";
import { plannedResources } from "./terraform/terraform-state.ts";
import { createWebSocketGateway } from "./gateway/websocket-gateway.ts";

export interface LocalRunOptions {
  /** A Terraform root that may be written to (a staged copy). */
  readonly rootDir: string;
  readonly port: number;
  readonly signingSecret: string;
  /** The demo user seeded when the plan has a token service (plus `<username>-limited`, holding no scope or group). */
  readonly demoUser: { readonly username: string; readonly password: string };
  /** One line per request. */
  readonly log: (line: string) => void;
  /** One line a function printed. */
  readonly functionLog: (functionName: string, line: string) => void;
  /** The authorizer cache's clock, so suites can step past a result TTL without waiting for it. */
  readonly now?: () => number;
  /** Sees (and may replace) each function's answer before the front does, e.g. to hand it malformed authorizer output. */
  readonly intercept?: (functionName: string, result: InvokeResult) => InvokeResult;
}

export interface LocalRun {
  /** http://127.0.0.1:PORT/STAGE */
  readonly baseUrl: string;
  /** ws://127.0.0.1:PORT/STAGE of each WebSocket API. */
  readonly webSocketUrls: readonly string[];
  /** The root's `web/` page, served from the origin its CORS settings allow (see page-server.ts). */
  readonly page: Omit<ExamplePage, "server"> | undefined;
  readonly model: ApiModel;
  /** Environment of the local services (endpoints, region, credentials), for seeding and tools. */
  readonly environment: Readonly<Record<string, string>>;
  /** The seeded users, none when the plan has no users table. */
  readonly demoUsers: readonly DemoUser[];
  /** The token service's users table and the local DynamoDB endpoint serving it, for the operator CLI. */
  readonly usersTable: { readonly name: string; readonly endpoint: string } | undefined;
  /** The local IdP, for plans with Cognito user pools. */
  readonly cognito: Omit<LocalCognito, "close" | "rewrites"> | undefined;
  /**
   * Rotates the signing secret with the module's rotation code, as Secrets Manager's schedule would
   * (createSecret to finishSecret); resolves the new AWSCURRENT version ids.
   */
  rotateSigningSecrets(): Promise<string[]>;
  /** Invokes a planned function directly, bypassing the front (the benchmark's baseline). */
  readonly invoker: LambdaInvoker;
  /** How many times the front has invoked a function since start. */
  invocations(functionName: string): number;
  pids(): number[];
  close(): Promise<void>;
}

/** Functions a request can reach; others (e.g. a rotation Lambda Secrets Manager would call) are not started. */
function reachableFunctions(model: ApiModel): FunctionModel[] {
  const reachable = new Set(
    [
      ...model.routes.flatMap((route) => [route.authorizer?.function, route.integration?.function]),
      ...model.webSocketApis.flatMap((api) =>
        api.routes.flatMap((route) => [route.authorizer?.function, route.function]),
      ),
    ].filter((fn) => fn !== undefined),
  );
  return model.functions.filter((fn) => reachable.has(fn));
}

export async function startLocalRun(options: LocalRunOptions): Promise<LocalRun> {
  const model = buildApiModel(await plannedResources(options.rootDir), options.rootDir);
  const demo = demoUsersFor(model, options.demoUser.username, options.demoUser.password);
  const services = await startLocalServices(model, options.signingSecret, plannedSigningAlgorithm(model));
  let runner: LambdaRunner | undefined;
  let cognito: LocalCognito | undefined;
  let page: ExamplePage | undefined;
  const counts = new Map<string, number>();
  const stop = async (): Promise<void> => {
    await page?.server.close();
    await Promise.all(sockets.map((socket) => socket.close()));
    await closeServer(server);
    await runner?.close();
    await cognito?.close();
    await services.close();
  };
  // The front is listening before the functions start: WebSocket integrations need its port.
  const front: LambdaInvoker = {
    invoke: async (functionName, event) => {
      if (runner === undefined) return { ok: false, errorType: "Starting", errorMessage: "functions are starting" };
      countCall(counts, functionName);
      const result = await runner.invoke(functionName, event);
      return options.intercept === undefined ? result : options.intercept(functionName, result);
    },
  };
  const sockets = model.webSocketApis.map((api) =>
    createWebSocketGateway({ api, invoker: front, region: localRegion, accountId: localAccountId, log: options.log }),
  );
  const rest = createGatewayHandler({
    model,
    invoker: front,
    region: localRegion,
    accountId: localAccountId,
    log: options.log,
    cache: new AuthorizerCache(options.now),
  });
  const server = createServer((request, response) => {
    if (!sockets.some((socket) => socket.handleManagement(request, response))) rest(request, response);
  });
  server.on("clientError", createClientErrorHandler(options.log));
  server.on("upgrade", (request, socket, head: Buffer) => {
    if (!sockets.some((gateway) => gateway.handleUpgrade(request, socket, head))) socket.destroy();
  });
  try {
    const port = await listen(server, options.port);
    if (model.userPools.length > 0) cognito = await startLocalCognito(model, options.demoUser);
    if (demo !== undefined && services.dynamoDbEndpoint !== undefined) {
      const aws = { endpoint: services.dynamoDbEndpoint, region: localRegion, credentials: localCredentials };
      await seedDemoUsers(demo, aws);
    }
    const baseUrl = `http://127.0.0.1:${port}/${model.stageName}`;
    const rewrites = new Map([
      ...services.rewrites,
      ...(cognito?.rewrites ?? []),
      // The module's default issuer is the stage URL: here, this one.
      ...stageUrlIssuerRewrites(model, baseUrl),
    ]);
    // Functions behind a WebSocket API answer clients through its @connections endpoint, served here.
    const managementEndpoints = new Map(
      model.webSocketApis.flatMap((api) =>
        api.routes.flatMap((route) =>
          route.function === undefined ? [] : [[route.function, `http://127.0.0.1:${port}/${api.stageName}`] as const],
        ),
      ),
    );
    runner = await LambdaRunner.start(reachableFunctions(model), {
      environment: (fn) => {
        const endpoint = managementEndpoints.get(fn);
        return {
          ...withLocalIssuers(rewriteEnvironment(fn.environment, rewrites), cognito?.pools ?? []),
          ...services.environment,
          ...(endpoint === undefined ? {} : { MANAGEMENT_API_ENDPOINT: endpoint }),
        };
      },
      onLog: options.functionLog,
    });
    const started = runner;
    const webSocketUrls = model.webSocketApis.map((api) => `ws://127.0.0.1:${port}/${api.stageName}`);
    page = await startExamplePage(options.rootDir, model, baseUrl, webSocketUrls[0]);
    const served = page;
    return {
      baseUrl,
      webSocketUrls,
      page: served === undefined ? undefined : { url: served.url, warning: served.warning },
      model,
      environment: services.environment,
      demoUsers: demo?.users ?? [],
      usersTable:
        demo === undefined || services.dynamoDbEndpoint === undefined
          ? undefined
          : { name: demo.tableName, endpoint: services.dynamoDbEndpoint },
      cognito:
        cognito === undefined ? undefined : { endpoint: cognito.endpoint, pools: cognito.pools, users: cognito.users },
      rotateSigningSecrets: () => services.rotateSigningSecrets(),
      invoker: started,
      invocations: (functionName) => counts.get(functionName) ?? 0,
      pids: () => started.pids(),
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
