/**
 * HTTP/1.1 requests with the request target sent byte for byte, over node:net. `fetch` and `URL`
 * resolve dot segments (also `%2E`) and would test a different spelling than the one written.
 */
import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends `method target HTTP/1.1` to `origin` (`http://127.0.0.1:PORT`) and reads the whole answer. */
export function rawRequest(
  origin: string,
  method: string,
  target: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  const head = [
    `${method} ${target} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    "connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Written, not ended: a half-closed socket may be dropped before a slow answer; the server
    // closes it after the answer, as `connection: close` asks.
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(head));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const [statusLine = "", ...headerLines] = all
        .subarray(0, split === -1 ? all.length : split)
        .toString("latin1")
        .split("\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        if (colon > 0) parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const raw = split === -1 ? Buffer.alloc(0) : all.subarray(split + 4);
      const body = parsed["transfer-encoding"] === "chunked" ? unchunk(raw) : raw;
      resolve({ status, headers: parsed, body: body.toString("utf8") });
    });
  });
}

/** RFC 9112 §7.1 chunked transfer coding, without trailers. */
function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", offset);
    const size = lineEnd === -1 ? 0 : Number.parseInt(raw.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size <= 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
