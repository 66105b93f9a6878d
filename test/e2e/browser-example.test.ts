/**
 * examples/browser in a real browser: headless Chromium loads the example's page from its own
 * origin and drives it as a user would, against the local run of the example. Every cross-origin
 * rule is enforced by Chromium itself: the preflights the MOCK methods answer, the CORS headers of
 * the functions' and the gateway's responses, the exposed WWW-Authenticate, the preflight cache, and
 * the refusals (a page from another origin, a request with credentials the API does not allow).
 *
 * Needs a Chromium (test/support/chromium.ts says where it looks); without one the suite fails.
 */
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePassword } from "../../local/demo-users.ts";
import { startLocalRun, type LocalRun } from "../../local/local-run.ts";
import { servePage, type PageServer } from "../../local/page-server.ts";
import { removeStage, stageWorkspace } from "../../local/terraform/terraform-cli.ts";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { launchChromium, type Browser } from "../support/chromium.ts";
import { craftToken, nowSeconds } from "../support/tokens.ts";

interface Entry {
  readonly step: string;
  readonly status: string;
  readonly text: string;
}

interface CorsFailure {
  readonly url: string;
  readonly corsError: string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  });

/** What the browser's network stack reports for requests it refused on CORS grounds. */
async function watchCorsFailures(page: Page): Promise<{ failures: CorsFailure[]; session: CDPSession }> {
  const session = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  const failures: CorsFailure[] = [];
  session.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  session.on("Network.loadingFailed", (event) => {
    const corsError = event.corsErrorStatus?.corsError;
    if (corsError !== undefined) failures.push({ url: urls.get(event.requestId) ?? "", corsError });
  });
  await session.send("Network.enable");
  return { failures, session };
}

describe("examples/browser in headless Chromium", () => {
  const password = generatePassword();
  const signingSecret = newSigningKeySecret();
  const requestLog: string[] = [];
  let stage: string | undefined;
  let run: LocalRun;
  let otherOrigin: PageServer;
  let browser: Browser;
  let page: Page;
  let pageOrigin: string;
  let corsFailures: CorsFailure[];

  const entries = (on: Page): Promise<Entry[]> =>
    on.$$eval("#log li", (items) =>
      items.map((item) => ({
        step: (item as HTMLElement).dataset.step ?? "",
        status: (item as HTMLElement).dataset.status ?? "",
        text: item.textContent,
      })),
    );

  /** Runs a user action and returns the `count` log entries the page writes for it. */
  const act = async (on: Page, count: number, action: () => Promise<void>): Promise<Entry[]> => {
    const before = (await entries(on)).length;
    await action();
    await on
      .locator("#log li")
      .nth(before + count - 1)
      .waitFor({ timeout: 15_000 });
    return (await entries(on)).slice(before);
  };

  const logIn = (on: Page, username: string): Promise<Entry[]> =>
    act(on, 1, async () => {
      await on.fill("#username", username);
      await on.fill("#password", password);
      await on.click("#login");
    });

  const requests = (line: RegExp): string[] => requestLog.filter((entry) => line.test(entry));

  beforeAll(async () => {
    // Fails here, loudly, when there is no Chromium: before the slower local run starts.
    browser = await launchChromium();
    stage = await stageWorkspace();
    const root = join(stage, "examples", "browser");
    pageOrigin = `http://127.0.0.1:${await freePort()}`;
    // The page's origin is the one the example's CORS allows: a free port rather than the default.
    await writeFile(join(root, "terraform.tfvars"), `app_origin = "${pageOrigin}"\n`);
    run = await startLocalRun({
      rootDir: root,
      port: 0,
      signingSecret,
      demoUser: { username: "e2e", password },
      log: (line) => requestLog.push(line),
      functionLog: () => undefined,
    });
    otherOrigin = await servePage(join(root, "web"), 0);
    page = await browser.context.newPage();
    corsFailures = (await watchCorsFailures(page)).failures;
  });

  afterAll(async () => {
    // Whatever beforeAll got to start (it stops at a missing Chromium, before anything else).
    const started = { browser, run, otherOrigin } as { browser?: Browser; run?: LocalRun; otherOrigin?: PageServer };
    await started.browser?.close();
    await started.otherOrigin?.close();
    await started.run?.close();
    if (stage !== undefined) await removeStage(stage);
  });

  it("serves the page from the origin the plan's CORS allows, with the API and WebSocket in its address", async () => {
    // Prepare
    const url = run.page?.url ?? "";

    // Act
    await page.goto(url);

    // Assess
    expect({
      origin: new URL(page.url()).origin,
      warning: run.page?.warning,
      api: await page.textContent("#api"),
      ws: await page.textContent("#ws"),
    }).toEqual({ origin: pageOrigin, warning: undefined, api: run.baseUrl, ws: run.webSocketUrls[0] });
  });

  it("logs in across origins: the browser's preflight of POST /auth/token is answered by the MOCK method", async () => {
    // Prepare: the page from the previous step

    // Act
    const [login] = await logIn(page, "e2e");

    // Assess
    expect({
      login,
      preflight: requests(/^OPTIONS \/v1\/auth\/token 204 /).length,
      post: requests(/^POST \/v1\/auth\/token 200 /).length,
    }).toEqual({ login: { step: "login", status: "200", text: "login: 200 logged in as e2e" }, preflight: 1, post: 1 });
  });

  it("calls /api and a path with a path parameter as the principal, each after its own preflight", async () => {
    // Prepare: logged in

    // Act
    const api = await act(page, 1, () => page.click("#call-api"));
    const item = await act(page, 1, () => page.click("#call-item"));

    // Assess
    expect({
      api,
      item,
      preflights: [requests(/^OPTIONS \/v1\/api 204 /).length, requests(/^OPTIONS \/v1\/api\/items\/42 204 /).length],
    }).toEqual({
      api: [{ step: "api", status: "200", text: "api: 200 principal e2e" }],
      item: [{ step: "item", status: "200", text: "item: 200 principal e2e" }],
      preflights: [1, 1],
    });
  });

  it("reuses the preflight answer for Access-Control-Max-Age instead of asking again", async () => {
    // Prepare
    const calls = requests(/^GET \/v1\/api 200 /).length;

    // Act
    const [again] = await act(page, 1, () => page.click("#call-api"));

    // Assess
    expect({
      status: again?.status,
      gets: requests(/^GET \/v1\/api 200 /).length - calls,
      preflights: requests(/^OPTIONS \/v1\/api 204 /).length,
    }).toEqual({ status: "200", gets: 1, preflights: 1 });
  });

  it("refreshes on 401, reading the WWW-Authenticate the API exposes, and retries with the new token", async () => {
    // Prepare: the session's access token replaced by one that expired a minute ago, genuinely signed
    const current = await page.evaluate(() => (window as unknown as { session: { accessToken: string } }).session);
    const [header, payload] = current.accessToken
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>);
    const key = await importHmacKey(keyBytesFromSecret(signingSecret));
    const expired = await craftToken(
      header ?? {},
      { ...payload, iat: nowSeconds() - 120, exp: nowSeconds() - 60 },
      key,
    );
    await page.evaluate((token) => {
      (window as unknown as { session: { accessToken: string } }).session.accessToken = token;
    }, expired);

    // Act
    const flow = await act(page, 3, () => page.click("#call-api"));

    // Assess
    expect(flow).toEqual([
      { step: "api", status: "401", text: "api: 401 WWW-Authenticate: Bearer; refreshing" },
      { step: "refresh", status: "200", text: "refresh: 200 new access and refresh tokens" },
      { step: "api", status: "200", text: "api: 200 principal e2e" },
    ]);
  });

  it("hides a response header the API does not expose, while WWW-Authenticate is readable", async () => {
    // Prepare: the gateway's 401 carries both x-amzn-requestid and WWW-Authenticate

    // Act
    const seen = await page.evaluate(async (api) => {
      const response = await fetch(`${api}/api`, { headers: { authorization: "Bearer not-a-token" } });
      return {
        status: response.status,
        wwwAuthenticate: response.headers.get("www-authenticate"),
        requestId: response.headers.get("x-amzn-requestid"),
      };
    }, run.baseUrl);

    // Assess
    expect({ ...seen, sent: requests(/^GET \/v1\/api 401 /).length > 0 }).toEqual({
      status: 401,
      wwwAuthenticate: expect.stringMatching(/^Bearer/) as unknown,
      requestId: null,
      sent: true,
    });
  });

  it("refuses a request with credentials, since the API does not allow them (no Access-Control-Allow-Credentials)", async () => {
    // Prepare
    const failuresBefore = corsFailures.length;

    // Act
    const outcome = await page.evaluate(async (api) => {
      const plain = await fetch(`${api}/api`).then((response) => response.status);
      const withCredentials = await fetch(`${api}/api`, { credentials: "include" }).then(
        (response) => `read ${response.status}`,
        (error: unknown) => (error instanceof TypeError ? "TypeError" : String(error)),
      );
      return { plain, withCredentials };
    }, run.baseUrl);
    // The network stack's report can trail the rejected promise.
    await expect.poll(() => corsFailures.length).toBeGreaterThan(failuresBefore);

    // Assess
    expect({ ...outcome, refusedBy: corsFailures.slice(failuresBefore).map((failure) => failure.corsError) }).toEqual({
      plain: 401,
      withCredentials: "TypeError",
      refusedBy: [expect.stringMatching(/AllowCredentials/) as unknown],
    });
  });

  it("opens the WebSocket with ?token= and gets the echo", async () => {
    // Prepare: logged in

    // Act
    const socket = await act(page, 3, () => page.click("#open-ws"));

    // Assess
    expect(socket.map((entry) => entry.status)).toEqual(["open", "message", "closed"]);
    expect(JSON.parse(socket[1]?.text.replace(/^websocket: message /, "") ?? "null")).toMatchObject({
      type: "echo",
      sub: "e2e",
      message: { text: "hello" },
    });
    expect(socket[2]?.text).toBe("websocket: closed code 1000");
  });

  it("logs out: the refresh token it held no longer refreshes", async () => {
    // Prepare
    const refreshToken = await page.evaluate(
      () => (window as unknown as { session: { refreshToken: string } }).session.refreshToken,
    );

    // Act
    const [logout] = await act(page, 1, () => page.click("#logout"));
    const afterLogout = await page.evaluate(
      async ({ api, token }) => {
        const response = await fetch(`${api}/auth/refresh`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refresh_token: token }),
        });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      { api: run.baseUrl, token: refreshToken },
    );
    const [call] = await act(page, 1, () => page.click("#call-api"));

    // Assess
    expect({ logout: logout?.status, afterLogout: afterLogout.status, call: call?.text }).toEqual({
      logout: "200",
      afterLogout: 400,
      call: "api: error log in first",
    });
  });

  it("shows the 403 the API answers a user without the route's scope", async () => {
    // Prepare
    const [login] = await logIn(page, "e2e-limited");

    // Act
    const [api] = await act(page, 1, () => page.click("#call-api"));

    // Assess
    expect({ login: login?.status, api }).toEqual({
      login: "200",
      api: {
        step: "api",
        status: "403",
        text: expect.stringMatching(/^api: 403 forbidden: User is not authorized to access this resource/) as unknown,
      },
    });
  });

  it("refuses the API's answers to the same page served from another origin", async () => {
    // Prepare
    const other = await browser.context.newPage();
    const failures = (await watchCorsFailures(other)).failures;
    await other.goto(`${otherOrigin.origin}/?api=${encodeURIComponent(run.baseUrl)}`);
    const preflightsBefore = requests(/^OPTIONS \/v1\/auth\/token 204 /).length;
    const getsBefore = requests(/^GET \/v1\/api 401 /).length;

    // Act
    const [login] = await logIn(other, "e2e");
    const simpleGet = await other.evaluate(
      async (api) =>
        fetch(`${api}/api`).then(
          (response) => `read ${response.status}`,
          (error: unknown) => (error instanceof TypeError ? "TypeError" : String(error)),
        ),
      run.baseUrl,
    );
    await expect.poll(() => failures.length).toBe(2);
    await other.close();

    // Assess: the API answered both; Chromium kept both answers from the page
    expect({
      login,
      simpleGet,
      answered: [
        requests(/^OPTIONS \/v1\/auth\/token 204 /).length - preflightsBefore,
        requests(/^GET \/v1\/api 401 /).length - getsBefore,
      ],
      refusedBy: failures.map((failure) => `${new URL(failure.url).pathname} ${failure.corsError}`),
    }).toEqual({
      login: {
        step: "login",
        status: "refused",
        text: "login: refused TypeError: Failed to fetch (see the browser console for why)",
      },
      simpleGet: "TypeError",
      answered: [1, 1],
      refusedBy: ["/v1/auth/token PreflightAllowOriginMismatch", "/v1/api AllowOriginMismatch"],
    });
  });
});
