/**
 * The token service as deployed (`lambda-src/token-service/index.ts`, configured by its
 * environment) against dynalite and the loopback Secrets Manager: login at the configured scrypt
 * parameters beside the scrypt verify alone, and refresh beside one bare DynamoDB GetItem.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { currentScryptParameters, hashPassword, verifyPassword } from "../lambda-src/shared/password-hash.ts";
import { UsersTable } from "../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../lambda-src/token-service/handler.ts";
import { startLoopbackAws } from "../test/support/loopback-aws.ts";
import { sampleInterleaved, type SamplingPlan } from "./harness.ts";
import { audience, hsIssuer } from "./issuers.ts";
import type { SectionResult, TargetCheck } from "./report.ts";
import { formatNumber, formatRatio, summarize, type Summary } from "./stats.ts";
import { newSigningKeySecret } from "../lambda-src/shared/signing-secret.ts";
import { postEvent } from "../test/support/proxy-events.ts";

export interface TokenServicePlans {
  readonly login: SamplingPlan;
  readonly refresh: SamplingPlan;
}

export const tokenServicePlans = (quick: boolean): TokenServicePlans =>
  quick
    ? { login: { iterations: 3, rounds: 3, warmup: 1 }, refresh: { iterations: 20, rounds: 2, warmup: 5 } }
    : { login: { iterations: 30, rounds: 10, warmup: 2 }, refresh: { iterations: 300, rounds: 10, warmup: 20 } };

const username = "bench-user";
const password = "a long benchmark pass phrase";

interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

async function expectTokens(handler: TokenServiceHandler, event: Record<string, unknown>): Promise<Tokens> {
  const response = await handler(event);
  if (response.statusCode !== 200)
    throw new Error(`the token service answered ${response.statusCode}: ${response.body}`);
  return JSON.parse(response.body) as Tokens;
}

/**
 * The service logs one JSON line per login and refresh through console.log, as Lambda wants; the
 * lines are dropped while timing so the tables stay readable (the JSON is still built).
 */
async function withConsoleDiscarded<T>(work: () => Promise<T>): Promise<T> {
  const { log, error } = console;
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
    console.error = error;
  }
}

export async function runTokenService(
  plans: TokenServicePlans,
  progress: (line: string) => void,
): Promise<SectionResult> {
  const aws = await startLoopbackAws();
  try {
    const table = await aws.newTable();
    const secretName = `bench-token-service-${table}`;
    aws.secrets.createSecret(secretName, newSigningKeySecret());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: aws.dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.secrets.endpoint,
      USERS_TABLE_NAME: table,
      SIGNING_SECRET_ARN: secretName,
      TOKEN_ISSUER: hsIssuer,
      TOKEN_AUDIENCE: audience,
      // Every login here is a success; the lockout never engages, but stays configured as deployed.
      LOCKOUT_MAX_ATTEMPTS: "5",
    });
    const storedHash = await hashPassword(password);
    await new UsersTable(aws.client, table).createUser(
      { username, passwordHash: storedHash, scopes: ["orders:read"], groups: ["staff"], disabled: false },
      new Date(),
    );
    const { handler } = await import("../lambda-src/token-service/index.ts");

    const { login, scrypt, refresh, getItem } = await withConsoleDiscarded(async () => {
      progress(`token service: login × ${plans.login.iterations}`);
      const loginSamples = await sampleInterleaved(
        [
          { name: "login", run: () => expectTokens(handler, postEvent("/auth/token", { username, password })) },
          {
            name: "scrypt",
            run: async () => {
              if (!(await verifyPassword(password, storedHash))) throw new Error("scrypt refused the password");
            },
          },
        ],
        plans.login,
      );
      progress(`token service: refresh × ${plans.refresh.iterations}`);
      let refreshToken = (await expectTokens(handler, postEvent("/auth/token", { username, password }))).refresh_token;
      const refreshSamples = await sampleInterleaved(
        [
          {
            name: "refresh",
            run: async () => {
              // Each refresh rotates the family: the next call must present the token just issued.
              refreshToken = (await expectTokens(handler, postEvent("/auth/refresh", { refresh_token: refreshToken })))
                .refresh_token;
            },
          },
          {
            name: "getItem",
            run: () => aws.client.send(new GetCommand({ TableName: table, Key: { user_id: username } })),
          },
        ],
        plans.refresh,
      );
      const ms = (samples: Map<string, number[]>, name: string): Summary =>
        summarize((samples.get(name) ?? []).map((microseconds) => microseconds / 1000));
      return {
        login: ms(loginSamples, "login"),
        scrypt: ms(loginSamples, "scrypt"),
        refresh: ms(refreshSamples, "refresh"),
        getItem: ms(refreshSamples, "getItem"),
      };
    });

    const { ln, r, p } = currentScryptParameters;
    const parameters = `N=2^${ln}, r=${r}, p=${p}`;
    const row = (label: string, summary: Summary, baseline: Summary, baselineLabel: string): string[] => [
      label,
      String(summary.n),
      formatNumber(summary.p50),
      formatNumber(summary.p99),
      `${formatRatio(summary.p50, baseline.p50)} ${baselineLabel}`,
    ];
    const targets: TargetCheck[] = [];
    return {
      tables: [
        {
          title: "Token service (ms)",
          columns: ["operation", "n", "p50", "p99", "ratio (p50)"],
          rows: [
            row("POST /auth/token, right password", login, scrypt, "scrypt"),
            row(`scrypt verify alone (${parameters})`, scrypt, scrypt, "scrypt"),
            row("POST /auth/refresh (rotation)", refresh, getItem, "GetItem"),
            row("DynamoDB GetItem alone (dynalite)", getItem, getItem, "GetItem"),
          ],
          notes: [
            "In-process: the handler index.ts exports, its SDK clients pointed at dynalite and the loopback Secrets Manager over 127.0.0.1.",
            "A login is UpdateItem (lockout reservation) beside GetItem (user), scrypt verify, the lockout reset, PutItem (refresh family) and an HS256 signature; a refresh is GetItem (family), GetItem (user), a conditional UpdateItem and a signature.",
          ],
        },
      ],
      targets,
      data: { login, scrypt, refresh, getItem, scryptParameters: currentScryptParameters },
    };
  } finally {
    await aws.close();
  }
}
