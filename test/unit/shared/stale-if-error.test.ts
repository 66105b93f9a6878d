import { describe, expect, it } from "vitest";
import { fixedBackoff, StaleIfError } from "../../../lambda-src/shared/stale-if-error.ts";

class AnswerError extends Error {}

describe("StaleIfError", () => {
  /** A source whose next answers the test queues: a value, or an error to reject with. */
  const source = (answers: (string | Error)[]) => {
    let now = 0;
    const calls = { count: 0 };
    const fetch = (): Promise<string> => {
      calls.count++;
      const answer = answers.shift() ?? new Error("no answer queued");
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
    const value = new StaleIfError(fetch, {
      backoff: fixedBackoff(1_000, () => now),
      isAnswer: (error) => error instanceof AnswerError,
      unavailable: (cause) => new Error("unavailable", { cause }),
    });
    return { value, calls, advance: (ms: number) => (now += ms) };
  };

  it("shares one fetch between concurrent callers", async () => {
    // Prepare
    const { value, calls } = source(["a"]);

    // Act
    const values = await Promise.all([value.refresh(), value.refresh(), value.fetch()]);

    // Assess
    expect(values).toEqual(["a", "a", "a"]);
    expect(calls.count).toBe(1);
  });

  it("serves the last value when a refresh fails, then fetches nothing until the back-off is over", async () => {
    // Prepare
    const { value, calls, advance } = source(["a", new Error("down"), "b"]);
    await value.refresh();

    // Act
    const duringOutage = await value.refresh();
    const heldBack = await value.refresh();
    advance(1_000);
    const recovered = await value.refresh();

    // Assess
    expect([duringOutage, heldBack, recovered]).toEqual(["a", "a", "b"]);
    expect(calls.count).toBe(3);
  });

  it("fails closed with no value to serve, and while backing off without fetching", async () => {
    // Prepare
    const down = new Error("down");
    const { value, calls } = source([down]);

    // Act
    const failed = value.refresh();
    await expect(failed).rejects.toMatchObject({ message: "unavailable", cause: down });
    const heldBack = value.refresh();

    // Assess
    await expect(heldBack).rejects.toMatchObject({ message: "unavailable", cause: undefined });
    expect(calls.count).toBe(1);
  });

  it("throws an answer as it is, starting no back-off", async () => {
    // Prepare
    const answer = new AnswerError("no value yet");
    const { value, calls } = source([answer, "a"]);

    // Act
    await expect(value.refresh()).rejects.toBe(answer);
    const next = await value.refresh();

    // Assess
    expect(next).toBe("a");
    expect(calls.count).toBe(2);
  });
});
