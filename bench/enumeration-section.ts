/**
 * The login timing-equality check (bench/enumeration.ts, issue 4) as a section: it is a script
 * with its own output and exit code, so it runs as a child process and its table is read back.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { SectionResult, TargetCheck } from "./report.ts";

export const enumerationIterations = (quick: boolean): number => (quick ? 4 : 40);

const rowPattern = /^(unknown user|wrong password|bcrypt import \*)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/;
const ratioPattern = /^median ratio unknown\/wrong = ([\d.]+): (within|OUTSIDE) ±(\d+)%/;

function runScript(iterations: number): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "enumeration.ts")], {
      env: { ...process.env, ENUMERATION_ITERATIONS: String(iterations) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ stdout, code }));
  });
}

export async function runEnumeration(iterations: number, progress: (line: string) => void): Promise<SectionResult> {
  progress(`enumeration: bench/enumeration.ts with ${iterations} iterations`);
  const { stdout, code } = await runScript(iterations);
  const lines = stdout.split("\n");
  const rows = lines.flatMap((line) => {
    const match = rowPattern.exec(line);
    return match === null ? [] : [match.slice(1, 5)];
  });
  const ratio = lines.map((line) => ratioPattern.exec(line)).find((match) => match !== null);
  if (ratio === undefined || rows.length === 0) throw new Error(`bench/enumeration.ts printed no result:\n${stdout}`);
  const targets: TargetCheck[] = [
    {
      section: "enumeration",
      target: `login: unknown user / wrong password median within ±${ratio[3] ?? "?"}%`,
      measured: `${ratio[1] ?? "?"} (script exit ${String(code)})`,
      met: ratio[2] === "within",
    },
  ];
  return {
    tables: [
      {
        title: `Login timing equality (bench/enumeration.ts, ${iterations} interleaved samples, ms)`,
        columns: ["case", "p10", "median", "p90"],
        rows,
        notes: lines.filter((line) => line.startsWith("*")),
      },
    ],
    targets,
    data: { stdout, code },
  };
}
