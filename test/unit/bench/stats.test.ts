import { describe, expect, it } from "vitest";
import { renderTable, targetsTable } from "../../../bench/report.ts";
import { formatNumber, formatRatio, medianDifference, quantile, summarize } from "../../../bench/stats.ts";

describe("bench stats", () => {
  it("takes nearest-rank quantiles, so p99 is a measured value", () => {
    // Prepare
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);

    // Act
    const quantiles = [quantile(sorted, 0.5), quantile(sorted, 0.99), quantile([7], 0.99), quantile([], 0.5)];

    // Assess
    expect(quantiles).toEqual([50, 99, 7, Number.NaN]);
  });

  it("summarizes unsorted samples", () => {
    // Act
    const summary = summarize([5, 1, 3, 2, 4]);

    // Assess
    expect(summary).toEqual({ n: 5, p50: 3, p99: 5, min: 1, mean: 3 });
  });

  it("takes the median of paired differences", () => {
    // Act
    const difference = medianDifference([12, 30, 14], [10, 10, 10]);

    // Assess
    expect(difference).toBe(4);
  });

  it("formats ratios and numbers, with a dash where there is nothing to compare", () => {
    // Act
    const texts = [
      formatRatio(3, 2),
      formatRatio(250, 10),
      formatRatio(1, undefined),
      formatRatio(1, 0),
      formatNumber(1234.5),
      formatNumber(12.345),
      formatNumber(1.2345),
      formatNumber(0.012345),
      formatNumber(Number.NaN),
    ];

    // Assess
    expect(texts).toEqual(["1.50×", "25.0×", "—", "—", "1235", "12.3", "1.23", "0.0123", "—"]);
  });
});

describe("bench report", () => {
  it("renders a markdown table with escaped pipes and notes", () => {
    // Act
    const markdown = renderTable({ title: "T", columns: ["a", "b"], rows: [["x|y"]], notes: ["n"] });

    // Assess
    expect(markdown).toBe("### T\n\n| a | b |\n| --- | --- |\n| x\\|y |  |\n\n- n\n");
  });

  it("marks missed targets in bold", () => {
    // Act
    const table = targetsTable([
      { section: "s", target: "t1", measured: "m1", met: true },
      { section: "s", target: "t2", measured: "m2", met: false },
    ]);

    // Assess
    expect(table.rows).toEqual([
      ["s", "t1", "m1", "yes"],
      ["s", "t2", "m2", "**no**"],
    ]);
  });
});
