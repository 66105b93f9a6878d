/**
 * Starts everything a Terraform root's plan describes, on 127.0.0.1: the services it needs, one
 * process per function from its planned package, and the API Gateway front. `close()` stops all
 * of it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { demoUsersFor, seedDemoUsers, type DemoUser } from "./demo-users.ts";
import { createGateway } from "./gateway.ts";
import { LambdaRunner } from "./lambda-runner.ts";
import {
  localAccountId,
  localCredentials,
  localRegion,
  rewriteEnvironment,
  startLocalServices,
} from "./local-services.ts";
import { buildApiModel, type ApiModel, type FunctionModel } from "./plan-model.ts";
import { plannedResources } from "./terraform-state.ts";

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
}

export interface LocalRun {
  /** http://127.0.0.1:PORT/STAGE */
  readonly baseUrl: string;
  readonly model: ApiModel;
  /** Environment of the local services (endpoints, region, credentials), for seeding and tools. */
  readonly environment: Readonly<Record<string, string>>;
  /** The seeded users, none when the plan has no users table. */
  readonly demoUsers: readonly DemoUser[];
  /** Process ids of the function processes. */
  pids(): number[];
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Functions a request can reach; others (e.g. a rotation Lambda Secrets Manager would call) are not started. */
function reachableFunctions(model: ApiModel): FunctionModel[] {
  const reachable = new Set(
    model.routes
      .flatMap((route) => [route.authorizer?.function, route.integration?.function])
      .filter((fn) => fn !== undefined),
  );
  return model.functions.filter((fn) => reachable.has(fn));
}

export async function startLocalRun(options: LocalRunOptions): Promise<LocalRun> {
  const model = buildApiModel(await plannedResources(options.rootDir), options.rootDir);
  const demo = demoUsersFor(model, options.demoUser.username, options.demoUser.password);
  const services = await startLocalServices(model, options.signingSecret);
  let runner: LambdaRunner | undefined;
  try {
    if (demo !== undefined && services.dynamoDbEndpoint !== undefined) {
      await seedDemoUsers(demo, services.dynamoDbEndpoint, localRegion, localCredentials);
    }
    runner = await LambdaRunner.start(reachableFunctions(model), {
      environment: (fn) => ({ ...rewriteEnvironment(fn.environment, services.rewrites), ...services.environment }),
      onLog: options.functionLog,
    });
    const gateway = createGateway({
      model,
      invoker: runner,
      region: localRegion,
      accountId: localAccountId,
      log: options.log,
    });
    const port = await listen(gateway, options.port);
    const started = runner;
    return {
      baseUrl: `http://127.0.0.1:${port}/${model.stageName}`,
      model,
      environment: services.environment,
      demoUsers: demo?.users ?? [],
      pids: () => started.pids(),
      close: async () => {
        await closeServer(gateway);
        await started.close();
        await services.close();
      },
    };
  } catch (error) {
    await runner?.close();
    await services.close();
    throw error;
  }
}
