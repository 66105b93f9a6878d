/**
 * The login timing-equality check (bench/enumeration.ts, issue 4) as a section of `npm run bench`:
 * the same measurement the script prints, taken in-process.
 */
import { enumerationRatio, enumerationTolerance, measureEnumeration, percentile } from "./enumeration.ts";
import type { SectionResult } from "./report.ts";
import { formatNumber } from "./stats.ts";

export const enumerationIterations = (quick: boolean): number => (quick ? 4 : 40);

export async function runEnumeration(iterations: number, progress: (line: string) => void): Promise<SectionResult> {
  progress(`enumeration: ${iterations} interleaved logins per case`);
  const samples = await measureEnumeration(iterations);
  const ratio = enumerationRatio(samples);
  const row = (label: string, values: readonly number[]): string[] => [
    label,
    ...[0.1, 0.5, 0.9].map((p) => formatNumber(percentile(values, p))),
  ];
  return {
    tables: [
      {
        title: `Login timing equality (bench/enumeration.ts, ${iterations} interleaved samples, ms)`,
        columns: ["case", "p10", "median", "p90"],
        rows: [
          row("unknown user", samples.unknownUser),
          row("wrong password", samples.wrongPassword),
          row("bcrypt import *", samples.bcryptImport),
        ],
        notes: [
          `* informational: wrong password for a not-yet-rehashed bcrypt user, ratio to unknown user = ${(percentile(samples.bcryptImport, 0.5) / percentile(samples.unknownUser, 0.5)).toFixed(3)}`,
        ],
      },
    ],
    targets: [
      {
        section: "enumeration",
        target: `login: unknown user / wrong password median within ±${enumerationTolerance * 100}%`,
        measured: ratio.toFixed(3),
        met: Math.abs(ratio - 1) <= enumerationTolerance,
      },
    ],
    data: samples,
  };
}
