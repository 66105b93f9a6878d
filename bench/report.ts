/**
 * What a section hands back, and how it is shown: markdown tables on stdout (pasted as they are
 * into bench/RESULTS.md) and one JSON document with the raw summaries in bench/results.json.
 */
import { writeFile } from "node:fs/promises";

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Printed under the table: what was measured and how, so a number is never read without its setup. */
  readonly notes?: readonly string[];
}

export interface TargetCheck {
  readonly section: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface SectionResult {
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
  /** Raw numbers for results.json. */
  readonly data: unknown;
}

/** A pipe or a line break inside a cell would end the cell or the row. */
const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll(/\r?\n/g, " ");

export function renderTable(table: Table): string {
  const lines = [
    `### ${table.title}`,
    "",
    `| ${table.columns.map(cell).join(" | ")} |`,
    `| ${table.columns.map(() => "---").join(" | ")} |`,
    ...table.rows.map((row) => `| ${table.columns.map((_, index) => cell(row[index] ?? "")).join(" | ")} |`),
  ];
  if (table.notes !== undefined && table.notes.length > 0) {
    lines.push("", ...table.notes.map((note) => `- ${note}`));
  }
  return `${lines.join("\n")}\n`;
}

export function targetsTable(targets: readonly TargetCheck[]): Table {
  return {
    title: "Targets",
    columns: ["section", "target", "measured", "met"],
    rows: targets.map((target) => [target.section, target.target, target.measured, target.met ? "yes" : "**no**"]),
  };
}

export async function writeResults(path: string, document: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}
