/**
 * The four steps every example goes through against its own moto server: apply, re-plan (empty
 * but for named moto gaps), read the wiring back through the AWS SDK, destroy. Each step is one
 * test, in order; the workarounds the harness used and each step's duration are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MotoStack, type Replan } from "./moto-stack.ts";
import { startMoto, type MotoServer } from "./moto-server.ts";

export interface ExampleSuite {
  /** Directory of the Terraform root inside the staged tree. */
  readonly dir: string;
  readonly vars?: readonly string[];
  readonly prepare?: (stage: string) => Promise<void>;
  /** Checks of the deployed wiring against the example's inputs. */
  readonly wiring: (moto: MotoServer, outputs: Record<string, unknown>) => Promise<void>;
}

// Terraform against moto on two shared cores: an apply takes a minute or two when the machine is busy.
const stepTimeout = 600_000;

export function describeExample(title: string, suite: ExampleSuite): void {
  describe(title, () => {
    let moto: MotoServer | undefined;
    let stack: MotoStack | undefined;
    const timings: string[] = [];
    const started = performance.now();

    const timed = async <T>(step: string, action: () => Promise<T>): Promise<T> => {
      const begin = performance.now();
      try {
        return await action();
      } finally {
        timings.push(`${step} ${((performance.now() - begin) / 1000).toFixed(1)}s`);
      }
    };
    const current = (): MotoStack => {
      if (stack === undefined) throw new Error("the example was not staged");
      return stack;
    };

    beforeAll(async () => {
      moto = await startMoto();
      stack = await MotoStack.create(moto, suite.dir, { vars: suite.vars, prepare: suite.prepare });
      await timed("init", () => current().init());
    }, stepTimeout);

    afterAll(async () => {
      const lines = [
        `moto apply suite, ${title}: ${((performance.now() - started) / 1000).toFixed(1)}s (${timings.join(", ")})`,
        ...(stack?.workarounds ?? []).map((workaround) => `  moto workaround: ${workaround}`),
      ];
      console.log(lines.join("\n"));
      await stack?.close();
      await moto?.close();
    }, stepTimeout);

    it(
      "applies",
      async () => {
        await timed("apply", () => current().apply());
      },
      stepTimeout,
    );

    it(
      "re-plans empty, but for named moto gaps",
      async () => {
        const replan: Replan = await timed("re-plan", () => current().replan());
        console.log(
          `${title}: re-plan exit ${replan.exitCode}, ${replan.changes.length} change(s)` +
            replan.gaps.map((gap) => `\n  named moto gap: ${gap}`).join(""),
        );
        expect(replan.unexplained).toEqual([]);
      },
      stepTimeout,
    );

    it(
      "deployed the wiring its inputs ask for",
      async () => {
        if (moto === undefined) throw new Error("moto is not running");
        const server = moto;
        const outputs = await current().outputs();
        await timed("read-back", () => suite.wiring(server, outputs));
      },
      stepTimeout,
    );

    it(
      "destroys",
      async () => {
        await timed("destroy", () => current().destroy());
        expect(await current().state()).toEqual([]);
      },
      stepTimeout,
    );
  });
}
