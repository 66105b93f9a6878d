/**
 * One GET of a JSON Web Key Set over `node:https` (or `node:http`, which the configuration allows
 * for loopback hosts only). jose's `createRemoteJWKSet` fetches with the global `fetch` and builds a
 * `Headers` as soon as it is created
 * (https://github.com/panva/jose/blob/v6.2.17/src/jwks/remote.ts), and Node implements both with
 * undici, loaded on first use (https://nodejs.org/docs/latest-v22.x/api/globals.html#fetch): about
 * 30 ms of a cold start before any request is made. The request is made as jose makes it: no
 * redirect followed (anything but 200 fails), one timeout over the whole exchange, and the same
 * errors, so callers tell a failing endpoint from a token fault exactly as before.
 */
import type * as http from "node:http";
import { errors } from "jose";

/** Far above any real key set (Google's is ~2 KB), far below what could exhaust a Lambda's memory. */
export const maxJwksBytes = 1_048_576;

const headers = { accept: "application/json, application/jwk-set+json" };

function get(url: URL, timeoutMs: number, request: typeof http.request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "GET", headers }, (response) => {
      if (response.statusCode !== 200) {
        outgoing.destroy(new errors.JOSEError("Expected 200 OK from the JSON Web Key Set HTTP response"));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxJwksBytes) {
          outgoing.destroy(new errors.JOSEError(`The JSON Web Key Set HTTP response is over ${maxJwksBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        resolve(Buffer.concat(chunks, bytes));
      });
      response.on("error", reject);
    });
    const timer = setTimeout(() => outgoing.destroy(new errors.JWKSTimeout()), timeoutMs);
    outgoing.on("error", reject);
    outgoing.on("close", () => {
      clearTimeout(timer);
    });
    outgoing.end();
  });
}

/** Resolves the parsed JSON body of a 200 answer; rejects with a jose error or the socket's own. */
export async function fetchJwks(url: URL, timeoutMs: number): Promise<unknown> {
  // Loaded on first use, so a loopback issuer never loads TLS, and as CommonJS modules: an ESM import
  // of `node:http` builds its namespace by reading every export, and Node 22's lazy `http.WebSocket`
  // getter then loads undici after all (https://nodejs.org/docs/latest-v22.x/api/http.html#class-websocket,
  // https://nodejs.org/docs/latest-v22.x/api/process.html#processgetbuiltinmoduleid).
  const { request } = process.getBuiltinModule(url.protocol === "https:" ? "node:https" : "node:http");
  const body = await get(url, timeoutMs, request);
  try {
    // TextDecoder drops a byte-order mark, as fetch's `response.json()` does.
    return JSON.parse(new TextDecoder().decode(body)) as unknown;
  } catch (cause) {
    throw new errors.JOSEError("Failed to parse the JSON Web Key Set HTTP response as JSON", { cause });
  }
}
