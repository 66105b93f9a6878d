/**
 * Secrets hygiene for the hardening suites: captures every line a suite's code writes (direct
 * `process.stdout`/`process.stderr` writes, which the authorizer uses, and `console.*`, which the
 * token service uses), and finds any registered secret in them, raw or encoded.
 *
 * A secret may leak in an encoded form: a JWT's segments are base64url, a signing secret's oct JWK
 * holds its bytes as base64url, and an error message may quote a form body URL-encoded. Each
 * registered value is therefore searched in its raw, base64url, base64 and URL-encoded forms, and
 * a JWT additionally by its signature segment (the part that proves possession).
 */
import { inspect } from "node:util";

export interface LogCapture {
  /** Everything written since `start`, split into lines. */
  readonly lines: string[];
  stop(): void;
}

type Write = typeof process.stdout.write;
const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Replaces the process's writers until `stop`. Captured output is not passed on: the suites run
 * thousands of decisions, and the captured lines are what the hygiene check reads.
 */
export function startLogCapture(): LogCapture {
  const lines: string[] = [];
  const record = (chunk: unknown): void => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk);
    lines.push(...text.split("\n").filter((line) => line.length > 0));
  };
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  // Descriptors, so `stop` puts back the very functions (whatever the test runner installed).
  const originalConsole = consoleMethods.map(
    (method) => [method, Object.getOwnPropertyDescriptor(console, method)] as const,
  );
  const capturing = ((chunk: unknown, ...rest: unknown[]): boolean => {
    record(chunk);
    const callback = rest.find((argument): argument is () => void => typeof argument === "function");
    callback?.();
    return true;
  }) as Write;
  process.stdout.write = capturing;
  process.stderr.write = capturing;
  for (const method of consoleMethods) {
    console[method] = (...values: unknown[]) => {
      record(values.map((value) => (typeof value === "string" ? value : inspect(value))).join(" "));
    };
  }
  return {
    lines,
    stop: () => {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
      for (const [method, descriptor] of originalConsole) {
        if (descriptor === undefined) Reflect.deleteProperty(console, method);
        else Object.defineProperty(console, method, descriptor);
      }
    },
  };
}

/** Shorter values would match by chance (a fuzzed one-character password, a short claim). */
const minimumSecretLength = 8;

/** Every form of `value` a leak could take. */
export function secretForms(value: string): string[] {
  const forms = new Set([
    value,
    Buffer.from(value, "utf8").toString("base64url"),
    Buffer.from(value, "utf8").toString("base64").replace(/=+$/, ""),
    encodeURIComponent(value),
  ]);
  const segments = value.split(".");
  const signature = segments[2];
  if (segments.length === 3 && signature !== undefined && signature.length >= 16) forms.add(signature);
  return [...forms].filter((form) => form.length >= minimumSecretLength);
}

export interface Leak {
  readonly label: string;
  readonly line: string;
}

/** The registered secrets of one suite, by label (`access token`, `password`, `signing secret`…). */
export class SecretRegistry {
  readonly #forms = new Map<string, string>();

  add(label: string, value: string): void {
    for (const form of secretForms(value)) this.#forms.set(form, label);
  }

  /** Key bytes, as the oct JWK's `k` and as hex, besides the raw forms of whatever string holds them. */
  addKeyBytes(label: string, bytes: Uint8Array): void {
    this.add(label, Buffer.from(bytes).toString("base64url"));
    this.add(label, Buffer.from(bytes).toString("hex"));
  }

  /** A signing secret's SecretString and, for an oct JWK, its key bytes (`k`, hex): a leak of `k` alone counts. */
  addSigningSecret(secretString: string): void {
    this.add("signing secret", secretString);
    const k = /"k"\s*:\s*"([A-Za-z0-9_-]+)"/.exec(secretString)?.[1];
    if (k !== undefined) this.addKeyBytes("signing secret", Buffer.from(k, "base64url"));
  }

  get size(): number {
    return this.#forms.size;
  }

  /** Lines that contain any form of any registered secret, each with what it leaked (never the value). */
  findLeaks(lines: readonly string[]): Leak[] {
    const leaks: Leak[] = [];
    for (const line of lines) {
      for (const [form, label] of this.#forms) {
        if (line.includes(form)) leaks.push({ label, line: line.replace(form, "<redacted>") });
      }
    }
    return leaks;
  }
}

/** Collects unhandled promise rejections while installed: the authorizer must never leave one behind. */
export interface RejectionTrap {
  readonly reasons: unknown[];
  stop(): void;
}

export function trapUnhandledRejections(): RejectionTrap {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on("unhandledRejection", listener);
  return { reasons, stop: () => process.off("unhandledRejection", listener) };
}
