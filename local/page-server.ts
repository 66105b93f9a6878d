/**
 * The browser page of an example (its `web/` directory), served from a second origin on
 * 127.0.0.1, so the page talks to the local API cross-origin exactly as a single-page app talks to
 * API Gateway: preflights, CORS headers and all.
 *
 * The page's port is the one the plan allows: the origin in the gateway responses'
 * Access-Control-Allow-Origin (the module's `cors.allow_origin`). An origin the local run cannot
 * serve (another host, https) still gets the page on a free port, with a warning that the browser
 * will refuse the API's answers, which is then exactly what it shows.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { closeServer, listen } from "./fakes/loopback-http.ts";
import type { ApiModel } from "./terraform/plan-model.ts";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves the files of `dir` (GET and HEAD only, no listing, nothing outside `dir`) on 127.0.0.1. */
export async function servePage(dir: string, port: number): Promise<PageServer> {
  const root = normalize(dir + sep);
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    let file = "";
    try {
      file = normalize(join(root, decodeURIComponent(pathname === "/" ? "/index.html" : pathname)));
    } catch {
      // A malformed %-escape names no file.
    }
    const type = contentTypes[extname(file)];
    if ((request.method !== "GET" && request.method !== "HEAD") || !file.startsWith(root) || type === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body),
      () => response.writeHead(404, { "content-type": "text/plain" }).end("not found\n"),
    );
  });
  const bound = await listen(server, port);
  return { origin: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
}

/** The origin the plan lets read the API's answers, from the gateway responses' CORS header. */
export function plannedAllowOrigin(model: ApiModel): string | undefined {
  for (const response of model.gatewayResponses.values()) {
    const value = /^'(.*)'$/.exec(response.parameters["gatewayresponse.header.Access-Control-Allow-Origin"] ?? "")?.[1];
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface ExamplePage {
  readonly server: PageServer;
  /** The page, told where the API and the WebSocket are. */
  readonly url: string;
  /** Set when the browser will refuse the API's answers to this page. */
  readonly warning: string | undefined;
}

/** Serves `<rootDir>/web` when the root has one; undefined otherwise. */
export async function startExamplePage(
  rootDir: string,
  model: ApiModel,
  baseUrl: string,
  webSocketUrl: string | undefined,
): Promise<ExamplePage | undefined> {
  const dir = join(rootDir, "web");
  if (!existsSync(join(dir, "index.html"))) return undefined;
  const origin = plannedAllowOrigin(model);
  const local = /^http:\/\/(?:127\.0\.0\.1|localhost):([1-9]\d*)$/.exec(origin ?? "");
  const port = local?.[1] === undefined ? 0 : Number(local[1]);
  const server = await servePage(dir, port).catch((error: unknown) => {
    throw new Error(
      `cannot serve ${dir} on ${origin ?? "a free port"} (${error instanceof Error ? error.message : String(error)}): free the port or change the origin the root's cors setting allows`,
    );
  });
  // http://localhost:N stays the page's origin: the browser compares origins as written.
  const pageOrigin = local === null ? server.origin : (origin ?? server.origin);
  const query = new URLSearchParams({ api: baseUrl, ...(webSocketUrl === undefined ? {} : { ws: webSocketUrl }) });
  const warning =
    origin === "*" || local !== null
      ? undefined
      : origin === undefined
        ? "the plan has no CORS (cors = null): the browser will refuse every API answer to this page"
        : `the plan allows ${origin} only: the browser will refuse the API's answers to ${pageOrigin}`;
  return { server, url: `${pageOrigin}/?${query.toString()}`, warning };
}
