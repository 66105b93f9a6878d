/**
 * fast-check settings shared by the fuzz suites: budgets sized so the whole hardening folder runs
 * in seconds on two shared cores. HARDENING_FUZZ_RUNS scales every budget (e.g. 10000 for a long
 * local soak) and HARDENING_FUZZ_SEED replays a reported failure.
 */
import type { Parameters } from "fast-check";

const scale = Number(process.env.HARDENING_FUZZ_RUNS ?? "") || undefined;
const seed = Number(process.env.HARDENING_FUZZ_SEED ?? "") || undefined;

export function fuzzParameters<T>(defaultRuns: number): Parameters<T> {
  return {
    numRuns: scale ?? defaultRuns,
    ...(seed === undefined ? {} : { seed }),
    // Shrinking re-runs the async property many times; the counterexample is printed either way.
    endOnFailure: true,
  };
}
