/**
 * `npm start`: serves a Terraform example on 127.0.0.1 exactly as its plan describes it. The first
 * stdout line is `Listening on <base URL>` so scripts can wait for it; function output goes to stderr.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { buildAllPackages, comparePackages } from "../scripts/lambda-packages.ts";
import { removeStage, repoRoot, stageWorkspace } from "./terraform/terraform-cli.ts";
import { curlLines } from "./curl-lines.ts";
import { probePort } from "./fakes/loopback-http.ts";
import { lambdaNode, lambdaNodeMajor } from "./lambda/lambda-node.ts";
import { startLocalRun } from "./local-run.ts";
import { initiateAuthCurl } from "./cognito-services.ts";
import { generatePassword, routeRequirements } from "./demo-users.ts";
import { keyBytesFromSecret, newSigningKeySecret } from "../lambda-src/shared/signing-secret.ts";

interface CliOptions {
  readonly example: string;
  readonly port: number;
  readonly user: string;
  readonly passwordFile?: string;
  readonly signingSecretFile?: string;
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("expected 0..65535");
  return port;
};

const program = new Command()
  .name("npm start --")
  .description(
    "Run a Terraform example locally: API Gateway front, Lambda authorizer, functions, DynamoDB and Secrets Manager on 127.0.0.1.",
  )
  .option("--example <name|path>", "an example under examples/, or the path of any Terraform root", "hs256")
  .option("--port <port>", "port on 127.0.0.1 (0 picks a free one)", parsePort, 3000)
  .option("--user <name>", "username of the seeded demo user", "demo")
  .option("--password-file <path>", "file holding the demo user's password (default: a fresh random one, printed)")
  .option(
    "--signing-secret-file <path>",
    'file holding a fixed HS256 signing secret: an oct JWK {"kty":"oct","k":"<base64url, >= 32 bytes>"} or >= 32 bytes of text (default: a fresh one per run; an ES256/RS256/EdDSA example makes its key pair with the rotation code instead)',
  );

const stderr = (line: string): void => void process.stderr.write(`${line}\n`);

/** Rebuilds dist/<fn>.zip for every function whose committed package differs from a fresh build. */
async function buildStalePackages(): Promise<void> {
  const fresh = await buildAllPackages();
  const { stale } = await comparePackages(fresh);
  for (const pkg of fresh.filter((candidate) => stale.includes(candidate.name))) {
    await writeFile(pkg.zipPath, pkg.bytes);
    stderr(`rebuilt ${pkg.zipPath}`);
  }
}

/**
 * A staged, writable copy of the root. A named example is staged with the repository's Terraform
 * tree (its module sources are relative) after rebuilding stale Lambda packages; a path is copied
 * and run as it is.
 */
async function stageRoot(example: string): Promise<{ rootDir: string; stage: string }> {
  if (example.includes("/")) {
    const source = resolve(example);
    const stage = await mkdtemp(join(tmpdir(), "jwt-api-local-root-"));
    await cp(source, stage, { recursive: true, filter: (path) => basename(path) !== ".terraform" });
    return { rootDir: stage, stage };
  }
  if (!existsSync(join(repoRoot, "examples", example))) {
    const known = await readdir(join(repoRoot, "examples")).catch(() => []);
    throw new Error(`no example "${example}" (examples: ${known.join(", ") || "none yet"})`);
  }
  await buildStalePackages();
  const stage = await stageWorkspace();
  return { rootDir: join(stage, "examples", example), stage };
}

const portInUse = (port: number): string =>
  `port ${port} on 127.0.0.1 is in use: pass another with --port <port>, or --port 0 to pick a free one`;

/** Fails before any Terraform work (~25 s) when the port is taken; the front binds it again later. */
async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await probePort(port).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? new Error(portInUse(port)) : error;
  });
}

async function main(): Promise<void> {
  const options = program.parse().opts<CliOptions>();
  // Registered before anything starts: a signal during startup stops everything once startup settles.
  const shutdown: { requested: boolean; stop: (() => void) | undefined } = { requested: false, stop: undefined };
  const onSignal = (): void => {
    shutdown.requested = true;
    shutdown.stop?.();
  };
  // `npm start` execs Node on this file, so npm's forwarded SIGINT/SIGTERM land here rather than on
  // a shell or the tsx CLI (whose relay SIGKILLs a child slow to acknowledge, orphaning the functions).
  // SIGHUP too: a closed terminal must not leave the functions and the port behind.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  // npm forwards only SIGINT and SIGTERM, and dies of a SIGHUP without passing it on: when the
  // process that started this one goes (this one is re-parented), stop as if signalled.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onSignal();
  }, 500).unref();

  await checkPortFree(options.port);
  const signingSecret =
    options.signingSecretFile === undefined
      ? newSigningKeySecret()
      : (await readFile(options.signingSecretFile, "utf8")).trim();
  try {
    keyBytesFromSecret(signingSecret);
  } catch (error) {
    const option = `--signing-secret-file ${options.signingSecretFile ?? ""}`;
    throw new Error(`${option}: ${(error as Error).message}`, { cause: error });
  }
  const password =
    options.passwordFile === undefined
      ? generatePassword()
      : (await readFile(options.passwordFile, "utf8")).replace(/\r?\n$/, "");
  const { rootDir, stage } = await stageRoot(options.example);
  const run = await startLocalRun({
    rootDir,
    port: options.port,
    signingSecret,
    demoUser: { username: options.user, password },
    log: (line) => console.log(line),
    functionLog: (functionName, line) => stderr(`[${functionName}] ${line}`),
  }).catch(async (error: unknown) => {
    await removeStage(stage);
    throw error;
  });

  let stopping = false;
  shutdown.stop = (): void => {
    if (stopping) return;
    stopping = true;
    run
      .close()
      .then(() => removeStage(stage))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          stderr(`error while stopping: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  if (shutdown.requested) {
    shutdown.stop();
    return;
  }

  console.log(`Listening on ${run.baseUrl}`);
  console.log(`Serving ${run.model.name}: ${run.model.routes.length} methods, stage ${run.model.stageName}`);
  const node = lambdaNode();
  console.log(`Functions run on Node ${node.version} (${node.source}); Lambda runs nodejs${lambdaNodeMajor}.x`);
  for (const user of run.demoUsers) {
    const grants = [...user.scopes.map((scope) => `scope ${scope}`), ...user.groups.map((group) => `group ${group}`)];
    console.log(`Demo user ${user.username} / ${user.password} (${grants.join(", ") || "no scope or group"})`);
  }
  if (run.usersTable !== undefined) {
    const { name, endpoint } = run.usersTable;
    console.log(`Users table ${name} on DynamoDB at ${endpoint}; the operator CLI needs nothing else:`);
    console.log(`  npx jwt-api-admin --endpoint-url ${endpoint} --table ${name} users list`);
  }
  const idp = run.cognito;
  for (const pool of idp?.pools ?? []) {
    console.log(`Local Cognito IdP ${idp?.endpoint ?? ""}: user pool ${pool.name} = ${pool.id}, issuer ${pool.issuer}`);
    for (const client of pool.clients) console.log(`  app client ${client.name} = ${client.id}`);
  }
  for (const user of idp?.users ?? []) {
    const grants = user.groups.map((group) => `group ${group}`).join(", ") || "no group";
    console.log(`Demo IdP user ${user.username} / ${user.password} (${grants})`);
  }
  if (run.page !== undefined)
    console.log(`Browser page: ${run.page.url}${run.page.warning ? ` (${run.page.warning})` : ""}`);
  const { scopes: requiredScopes } = routeRequirements(run.model);
  if (idp !== undefined && requiredScopes.length > 0) {
    console.log(
      `Routes needing a scope (${requiredScopes.join(", ")}) answer 403 to the demo IdP users: Cognito puts custom ` +
        "scopes only in client_credentials tokens, a grant cognito-local does not support. " +
        "On AWS, get one with the app client allowed that scope (the example's README shows how).",
    );
  }
  console.log("Try:");
  const pool = idp?.pools[0];
  const client = pool?.clients.find((candidate) => candidate.passwordAuth);
  const idpUser = idp?.users[0];
  if (idp !== undefined && client !== undefined && idpUser !== undefined) {
    console.log(`  ${initiateAuthCurl(idp.endpoint, client.id, idpUser.username, idpUser.password)}`);
  }
  const [fullUser] = run.demoUsers;
  for (const line of curlLines(run.model, run.baseUrl, fullUser)) console.log(`  ${line}`);
  for (const url of run.webSocketUrls) {
    const client = `const s=new (require("ws"))(${JSON.stringify(url)}+"?token="+process.env.TOKEN);s.on("open",()=>s.send("hello"));s.on("message",(m)=>{console.log(String(m));s.close()});s.on("unexpected-response",(q,r)=>console.log(r.statusCode))`;
    console.log(`  TOKEN=$TOKEN node -e '${client}'   # WebSocket ${url}`);
  }
  console.log("Ctrl-C stops everything.");
}

main().catch((error: unknown) => {
  // The port can still be taken between the check and the bind.
  const taken = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
  const message = taken ? portInUse(program.opts<CliOptions>().port) : undefined;
  stderr(`npm start: ${message ?? (error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
