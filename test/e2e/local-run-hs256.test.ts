/**
 * The HS256 example over HTTP, as a client sees it: the local run (`npm start`), or a deployed
 * stage when JWT_API_BASE_URL is set (see test/fixtures/local-run/e2e-target.ts).
 */
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as runCli } from "../../cli/program.ts";
import { generatePassword } from "../../local/demo-users.ts";
import {
  remoteMode,
  request,
  startTarget,
  type Credentials,
  type E2eTarget,
} from "../fixtures/local-run/e2e-target.ts";

const mode = remoteMode("hs256");

interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

describe.skipIf(mode === "skip")(`hs256 example (${mode})`, () => {
  let target: E2eTarget;

  const login = async (user: Credentials): Promise<Tokens> => {
    const response = await request(target, "POST", "/auth/token", { json: user });
    if (response.status !== 200) throw new Error(`login answered ${response.status}`);
    return response.body as Tokens;
  };

  const limitedUser = (): Credentials => {
    if (target.limitedUser === undefined) throw new Error("set JWT_API_LIMITED_USERNAME and JWT_API_LIMITED_PASSWORD");
    return target.limitedUser;
  };

  beforeAll(async () => {
    target = await startTarget("hs256");
  });

  afterAll(async () => {
    await target.close();
  });

  it("logs in, calls /api as the principal, refreshes, logs out, and then cannot refresh", async () => {
    // Prepare
    const tokens = await login(target.user);

    // Act
    const api = await request(target, "GET", "/api", { token: tokens.access_token });
    const refreshed = await request(target, "POST", "/auth/refresh", { json: { refresh_token: tokens.refresh_token } });
    const rotated = refreshed.body as Tokens;
    const logout = await request(target, "POST", "/auth/logout", { json: { refresh_token: rotated.refresh_token } });
    const afterLogout = await request(target, "POST", "/auth/refresh", {
      json: { refresh_token: rotated.refresh_token },
    });

    // Assess
    expect({
      api: api.status,
      principal: (api.body as { principal?: unknown }).principal,
      refreshed: refreshed.status,
      newAccessToken: typeof rotated.access_token === "string" && rotated.access_token !== tokens.access_token,
      logout: logout.status,
      afterLogout: afterLogout.status,
    }).toEqual({
      api: 200,
      principal: target.user.username,
      refreshed: 200,
      newAccessToken: true,
      logout: 200,
      afterLogout: 400,
    });
  });

  it.each([
    ["no token", undefined],
    ["a garbage token", "garbage"],
    [
      "a token signed with another key",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLWFub3RoZXIta2V5",
    ],
  ])("answers %s on /api with 401", async (_name, token) => {
    // Prepare: the token above

    // Act
    const response = await request(target, "GET", "/api", token === undefined ? {} : { token });

    // Assess
    expect(response.status).toBe(401);
  });

  it("answers 403 to a valid token missing the route's group, and 200 to one holding it", async () => {
    // Prepare
    const [limited, full] = await Promise.all([login(limitedUser()), login(target.user)]);

    // Act
    const [denied, allowed] = await Promise.all([
      request(target, "GET", "/api/admin", { token: limited.access_token }),
      request(target, "GET", "/api/admin", { token: full.access_token }),
    ]);

    // Assess: the 403 says what is missing in kind, not which grants the route takes.
    expect([denied.status, allowed.status]).toEqual([403, 200]);
    expect(denied.body).toMatchObject({ hint: "the token is valid but lacks a scope or group this route requires" });
    expect(JSON.stringify(denied.body)).not.toContain("admin");
  });

  it("does not let a policy cached for one route open another", async () => {
    // Prepare
    const limited = await login(limitedUser());
    const first = await request(target, "GET", "/api", { token: limited.access_token });

    // Act
    const second = await request(target, "GET", "/api/admin", { token: limited.access_token });

    // Assess
    expect([first.status, second.status]).toEqual([200, 403]);
  });

  it.skipIf(mode === "remote")("invokes the authorizer once per token within the TTL and again after it", async () => {
    // Prepare
    const local = target.local;
    if (local === undefined) throw new Error("local only");
    const { access_token: token } = await login(target.user);
    const before = local.run.invocations(local.authorizerFunction);

    // Act
    await request(target, "GET", "/api", { token });
    await request(target, "GET", "/api", { token });
    const withinTtl = local.run.invocations(local.authorizerFunction) - before;
    local.advanceClock(local.resultTtlSeconds * 1000);
    const afterTtl = await request(target, "GET", "/api", { token });

    // Assess
    expect([withinTtl, local.run.invocations(local.authorizerFunction) - before, afterTtl.status]).toEqual([1, 2, 200]);
  });

  describe.skipIf(mode === "remote")("revocation (max_staleness_seconds = 30)", () => {
    /** The operator CLI, in-process, against the local run's users table. */
    const admin = async (argv: string[], stdin = ""): Promise<string> => {
      const table = target.local?.run.usersTable;
      if (table === undefined) throw new Error("the local run has no users table");
      let output = "";
      const sink = new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          output += chunk.toString("utf8");
          done();
        },
      });
      const env = { USERS_TABLE_NAME: table.name, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint };
      const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout: sink, stderr: sink, env });
      if (code !== 0) throw new Error(`jwt-api-admin ${argv.join(" ")} failed: ${output}`);
      return output;
    };

    /** A user of its own, so revoking it leaves the other tests' users alone. */
    const freshUser = async (username: string): Promise<Credentials> => {
      const password = generatePassword();
      await admin(["users", "add", username], `${password}\n`);
      return { username, password };
    };

    /** Past the bound: API Gateway's cached Allow (result TTL 30 s) has expired; the authorizer reuses nothing. */
    const passTheBound = (): void => {
      const local = target.local;
      if (local === undefined) throw new Error("local only");
      expect(local.resultTtlSeconds).toBeLessThanOrEqual(30);
      local.advanceClock(local.resultTtlSeconds * 1000);
    };

    it("answers 401 to the access token a logout was sent with, within the bound", async () => {
      // Prepare
      const tokens = await login(await freshUser("revocation-logout"));
      const before = await request(target, "GET", "/api", { token: tokens.access_token });

      // Act
      const logout = await request(target, "POST", "/auth/logout", {
        token: tokens.access_token,
        json: { refresh_token: tokens.refresh_token },
      });
      passTheBound();
      const after = await request(target, "GET", "/api", { token: tokens.access_token });

      // Assess
      expect({ before: before.status, logout: logout.status, after: after.status }).toEqual({
        before: 200,
        logout: 200,
        after: 401,
      });
    });

    it.each([
      ["users revoke", "revocation-revoke", ["users", "revoke"]],
      ["users disable", "revocation-disable", ["users", "disable"]],
    ])(
      "answers 401 to every access token of the user after `%s`, within the bound",
      async (_label, username, command) => {
        // Prepare
        const user = await freshUser(username);
        const [first, second] = [await login(user), await login(user)];
        const before = await Promise.all(
          [first, second].map((tokens) => request(target, "GET", "/api", { token: tokens.access_token })),
        );

        // Act
        await admin([...command, username]);
        passTheBound();
        const after = await Promise.all(
          [first, second].map((tokens) => request(target, "GET", "/api", { token: tokens.access_token })),
        );

        // Assess
        expect([...before, ...after].map((response) => response.status)).toEqual([200, 200, 401, 401]);
      },
    );

    it("keeps another session of the user working after a logout", async () => {
      // Prepare
      const user = await freshUser("revocation-sessions");
      const [leaving, staying] = [await login(user), await login(user)];

      // Act
      await request(target, "POST", "/auth/logout", {
        token: leaving.access_token,
        json: { refresh_token: leaving.refresh_token },
      });
      passTheBound();
      const statuses = await Promise.all(
        [leaving, staying].map(
          async (tokens) => (await request(target, "GET", "/api", { token: tokens.access_token })).status,
        ),
      );

      // Assess
      expect(statuses).toEqual([401, 200]);
    });
  });

  it.skipIf(mode === "remote")("answers 500 when the authorizer's output is malformed", async () => {
    // Prepare
    const local = target.local;
    if (local === undefined) throw new Error("local only");
    const { access_token: token } = await login(target.user);
    local.corruptNextAuthorizerAnswer();

    // Act
    const response = await request(target, "GET", "/api", { token });

    // Assess
    expect(response.status).toBe(500);
  });
});
