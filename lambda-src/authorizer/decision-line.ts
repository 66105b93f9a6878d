/**
 * The log line of one decision, for the shared logger's writer (shared/log.ts). Fields are chosen,
 * never copied from the request: no token, no secret, no header; `issuer` only when it is a
 * configured one and `sub` only once the token has verified.
 */
import type { LogLevel } from "../shared/log.ts";
import type { EventType } from "./token-extraction.ts";

export type Decision = "allow" | "deny" | "unauthorized";

export interface DecisionRecord {
  readonly decision: Decision;
  /** `ALLOWED`, `ROUTE_FORBIDDEN` or the code of what refused the request. */
  readonly reason: string;
  readonly eventType: EventType | undefined;
  readonly issuer: string | undefined;
  readonly sub: string | undefined;
  readonly latencyMs: number;
  readonly cacheHit: boolean;
  /** Why a request was refused, in words built from codes and names only. */
  readonly detail?: string;
}

/** `,"name":value`, or nothing for an absent value, as JSON.stringify leaves out an undefined property. */
const optional = (name: string, value: string | undefined): string =>
  value === undefined ? "" : `,"${name}":${JSON.stringify(value)}`;

/**
 * The same line `JSON.stringify` of the record would give, key for key, built as a template on
 * every decision (it is the hot path of a cache hit): literal-typed fields are inlined, every
 * other string is JSON-escaped on its own.
 */
export function decisionLine(record: DecisionRecord, level: LogLevel): string {
  const latency = Math.round(record.latencyMs * 1000) / 1000;
  return (
    `{"level":"${level}","event":"authorizer.decision","decision":"${record.decision}"` +
    `,"reason":${JSON.stringify(record.reason)}` +
    (record.eventType === undefined ? "" : `,"event_type":"${record.eventType}"`) +
    optional("issuer", record.issuer) +
    optional("sub", record.sub) +
    `,"latency_ms":${Number.isFinite(latency) ? String(latency) : "null"},"cache_hit":${String(record.cacheHit)}` +
    optional("detail", record.detail) +
    "}"
  );
}
