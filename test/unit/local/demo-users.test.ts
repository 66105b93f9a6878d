import { GetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { WeakPasswordError } from "../../../lambda-src/shared/errors.ts";
import { demoUsersFor, generatePassword, routeRequirements, seedDemoUsers } from "../../../local/demo-users.ts";
import { startDynamoDbServer } from "../../../local/fakes/dynamodb-server.ts";
import { localCredentials, localRegion } from "../../../local/local-services.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import type { FunctionModel } from "../../../local/terraform/plan-functions.ts";

const fn = (environment: Record<string, string>): FunctionModel => ({
  address: "f",
  functionName: "f",
  handler: "index.handler",
  runtime: undefined,
  timeoutSeconds: 3,
  memoryMb: 128,
  packagePath: "/f.zip",
  sourceCodeHash: undefined,
  environment,
  arn: "arn:f",
});

const model = (...environments: Record<string, string>[]): ApiModel =>
  ({ functions: environments.map(fn) }) as Pick<ApiModel, "functions"> as ApiModel;

const routes = JSON.stringify([
  { route: "GET /api/admin", scopes: ["b", "a"], groups: ["admin"] },
  { route: "GET /api", scopes: [], groups: [] },
]);

describe("routeRequirements", () => {
  it.each([
    [
      "the authorizer's routes",
      model({ JWT_ROUTES: routes }, { OTHER: "x" }),
      { scopes: ["a", "b"], groups: ["admin"] },
    ],
    ["unparsable routes", model({ JWT_ROUTES: "[not json" }), { scopes: [], groups: [] }],
    ["no routes", model({}), { scopes: [], groups: [] }],
  ])("collects every scope and group of %s", (_name, planned, expected) => {
    // Prepare: the planned functions above

    // Act
    const requirements = routeRequirements(planned);

    // Assess
    expect(requirements).toEqual(expected);
  });
});

describe("demoUsersFor", () => {
  it("seeds a full user and a limited one into the token service's table", () => {
    // Prepare
    const planned = model({ JWT_ROUTES: routes }, { USERS_TABLE_NAME: "users" });

    // Act
    const demo = demoUsersFor(planned, "demo", "correct horse battery");

    // Assess
    expect(demo).toEqual({
      tableName: "users",
      users: [
        { username: "demo", password: "correct horse battery", scopes: ["a", "b"], groups: ["admin"] },
        { username: "demo-limited", password: "correct horse battery", scopes: [], groups: [] },
      ],
    });
  });

  it("seeds no limited user where no route asks for a scope or group: it would hold what the full one does", () => {
    // Prepare
    const planned = model({ JWT_ROUTES: "[]" }, { USERS_TABLE_NAME: "users" });

    // Act
    const demo = demoUsersFor(planned, "demo", "correct horse battery");

    // Assess
    expect(demo?.users.map((user) => user.username)).toEqual(["demo"]);
  });

  it("seeds nothing without a users table", () => {
    // Prepare
    const planned = model({ JWT_ROUTES: routes });

    // Act
    const demo = demoUsersFor(planned, "demo", "correct horse battery");

    // Assess
    expect(demo).toBeUndefined();
  });

  it("refuses a password the token service's policy refuses", () => {
    // Prepare
    const planned = model({ USERS_TABLE_NAME: "users" });

    // Act
    const choose = (): unknown => demoUsersFor(planned, "demo", "short");

    // Assess
    expect(choose).toThrow(WeakPasswordError);
  });
});

describe("generatePassword", () => {
  it("meets the password policy and differs each time", () => {
    // Prepare
    const first = generatePassword();

    // Act
    const second = generatePassword();

    // Assess
    expect([demoUsersFor(model({ USERS_TABLE_NAME: "t" }), "demo", first)?.tableName, first === second]).toEqual([
      "t",
      false,
    ]);
  });
});

describe("seedDemoUsers", () => {
  it("writes each user with a password hash, never the password", async () => {
    // Prepare
    const server = await startDynamoDbServer();
    await server.createUsersTable("users");
    const demo = demoUsersFor(
      model({ USERS_TABLE_NAME: "users", JWT_ROUTES: routes }),
      "demo",
      "correct horse battery",
    );
    const client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });

    // Act
    if (demo !== undefined)
      await seedDemoUsers(demo, { endpoint: server.endpoint, region: localRegion, credentials: localCredentials });
    const item = await client.send(new GetItemCommand({ TableName: "users", Key: { user_id: { S: "demo" } } }));
    client.destroy();
    await server.close();

    // Assess
    expect([
      item.Item?.groups,
      item.Item?.password_hash?.S?.startsWith("$scrypt$"),
      JSON.stringify(item.Item).includes("correct horse"),
    ]).toEqual([{ L: [{ S: "admin" }] }, true, false]);
  });
});
