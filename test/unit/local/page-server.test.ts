import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayResponseConfig } from "../../../local/gateway/gateway-responses.ts";
import { plannedAllowOrigin, servePage, startExamplePage, type PageServer } from "../../../local/page-server.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";

const withOrigin = (origin: string | undefined): ApiModel => {
  const response: GatewayResponseConfig = {
    statusCode: 401,
    templates: {},
    parameters: origin === undefined ? {} : { "gatewayresponse.header.Access-Control-Allow-Origin": `'${origin}'` },
  };
  return { gatewayResponses: new Map([["UNAUTHORIZED", response]]) } as Pick<ApiModel, "gatewayResponses"> as ApiModel;
};

/** A raw GET, so the path reaches the server exactly as written (fetch would normalize `..`). */
const get = (origin: string, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(origin);
    request({ host: url.hostname, port: url.port, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
    })
      .on("error", reject)
      .end();
  });

describe("servePage", () => {
  let root: string;
  let server: PageServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "page-server-"));
    await mkdir(join(root, "web"));
    await writeFile(join(root, "web", "index.html"), "<p>page</p>");
    await writeFile(join(root, "web", "app.js"), "export {};");
    await writeFile(join(root, "secret.txt"), "outside");
    await writeFile(join(root, "web", "notes.txt"), "not a page type");
    server = await servePage(join(root, "web"), 0);
  });

  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ["/", 200, "<p>page</p>"],
    ["/app.js", 200, "export {};"],
    ["/../secret.txt", 404, "not found\n"],
    ["/%2e%2e/secret.txt", 404, "not found\n"],
    ["/notes.txt", 404, "not found\n"],
    ["/%E0%A4%A", 404, "not found\n"],
  ])("answers GET %s with %i, and nothing outside the page's directory", async (path, status, body) => {
    // Act
    const response = await get(server.origin, path);

    // Assess
    expect(response).toEqual({ status, body });
  });
});

describe("startExamplePage", () => {
  it.each([
    ["the origin the plan allows", "FREE", undefined],
    ["any origin", "*", undefined],
    ["another host", "https://app.example.com", "the plan allows https://app.example.com only"],
    ["no CORS", undefined, "the plan has no CORS"],
  ])(
    "serves the page for %s, warning when the browser will refuse the API's answers",
    async (_name, origin, warning) => {
      // Prepare
      const root = await mkdtemp(join(tmpdir(), "example-page-"));
      await mkdir(join(root, "web"));
      await writeFile(join(root, "web", "index.html"), "<p>page</p>");
      const probe = await servePage(join(root, "web"), 0);
      await probe.close();
      const allowed = origin === "FREE" ? probe.origin : origin;

      // Act
      const page = await startExamplePage(root, withOrigin(allowed), "http://127.0.0.1:1/v1", "ws://127.0.0.1:1/v1");
      await page?.server.close();
      await rm(root, { recursive: true, force: true });

      // Assess
      expect({
        onAllowedOrigin: origin === "FREE" ? page?.url.startsWith(`${probe.origin}/?`) : undefined,
        query: page === undefined ? undefined : Object.fromEntries(new URL(page.url).searchParams),
        warning: page?.warning,
      }).toEqual({
        onAllowedOrigin: origin === "FREE" ? true : undefined,
        query: { api: "http://127.0.0.1:1/v1", ws: "ws://127.0.0.1:1/v1" },
        warning: warning === undefined ? undefined : (expect.stringContaining(warning) as unknown),
      });
    },
  );

  it("serves nothing for a root without web/index.html", async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), "example-page-"));

    // Act
    const page = await startExamplePage(root, withOrigin("*"), "http://127.0.0.1:1/v1", undefined);
    await rm(root, { recursive: true, force: true });

    // Assess
    expect(page).toBeUndefined();
  });

  it("reads the allowed origin from the gateway responses' quoted header value", () => {
    expect([
      plannedAllowOrigin(withOrigin("http://127.0.0.1:8080")),
      plannedAllowOrigin(withOrigin(undefined)),
    ]).toEqual(["http://127.0.0.1:8080", undefined]);
  });
});
