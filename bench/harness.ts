/**
 * Interleaved timing of in-process contenders. The machine is shared, so load comes and goes:
 * every contender runs a slice of its iterations in each round, in a rotating order, and a burst
 * of outside load lands on all of them instead of on whichever happened to run then.
 */

export interface Contender {
  readonly name: string;
  /** One timed operation on input `index`; it must throw (or reject) when the operation fails. */
  readonly run: (index: number) => unknown;
}

export interface SamplingPlan {
  /** Timed calls per contender, spread over the rounds. */
  readonly iterations: number;
  readonly rounds: number;
  /** Untimed calls per contender before the first round (JIT, key import, connection set-up). */
  readonly warmup: number;
}

const isPromise = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === "object" && value !== null && "then" in value && typeof value.then === "function";

/**
 * Microseconds per call, by contender name. Inputs `0..warmup-1` are used for warm-up and
 * `warmup..warmup+iterations-1` for timing, each exactly once per contender, so a contender that
 * caches by input never sees a timed input twice.
 */
export async function sampleInterleaved(
  contenders: readonly Contender[],
  plan: SamplingPlan,
): Promise<Map<string, number[]>> {
  const samples = new Map(contenders.map((contender) => [contender.name, [] as number[]]));
  for (const contender of contenders) {
    for (let index = 0; index < plan.warmup; index += 1) {
      const result = contender.run(index);
      if (isPromise(result)) await result;
    }
  }
  const perRound = Math.ceil(plan.iterations / plan.rounds);
  for (let round = 0; round < plan.rounds; round += 1) {
    const first = round * perRound;
    const last = Math.min(plan.iterations, first + perRound);
    for (let offset = 0; offset < contenders.length; offset += 1) {
      const contender = contenders[(round + offset) % contenders.length];
      if (contender === undefined) continue;
      const times = samples.get(contender.name) ?? [];
      for (let index = first; index < last; index += 1) {
        const started = performance.now();
        const result = contender.run(plan.warmup + index);
        // Sync contenders (the node:crypto floor) are not charged a microtask turn they do not need.
        if (isPromise(result)) await result;
        times.push((performance.now() - started) * 1000);
      }
    }
  }
  return samples;
}
