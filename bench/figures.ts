/**
 * The figures the benchmark reports: their names, units and targets, how a missing
 * one is recorded (`value: null` with the reason, never a made-up number), and the table and
 * `results.json` built from them.
 */

/** A target a figure must meet: `value >= min` or `value <= max`. */
export interface Target {
  min?: number;
  max?: number;
}

/** One measured (or unavailable) figure. */
export interface Figure {
  name: string;
  /** `null` when the figure could not be measured; `note` then says why. */
  value: number | null;
  unit: string;
  target?: Target;
  /** Why the value is missing, or an assumption behind it. */
  note?: string;
}

/** The file `bench/results.json`. */
export interface Results {
  machine: string;
  node: string;
  date: string;
  /** Wall time of the whole run, seconds. */
  durationSec?: number;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage?: number;
  quick?: boolean;
  /** When the scale figures were measured (`--scale`; a run without it carries them over). */
  scaleRun?: { date: string; durationSec: number };
  figures: Record<string, { value: number | null; unit: string; note?: string }>;
}

/** A figure that could not be measured, with the reason shown in place of the number. */
export function unavailable(name: string, unit: string, reason: string, target?: Target): Figure {
  return target
    ? { name, value: null, unit, target, note: reason }
    : { name, value: null, unit, note: reason };
}

/** Whether a figure meets its target; `undefined` when it has none or no value. */
export function meetsTarget(figure: Figure): boolean | undefined {
  if (!figure.target || figure.value === null) return undefined;
  const { min, max } = figure.target;
  if (min !== undefined && figure.value < min) return false;
  if (max !== undefined && figure.value > max) return false;
  return true;
}

function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
}

function formatTarget(target: Target | undefined): string {
  if (!target) return "";
  if (target.min !== undefined && target.max !== undefined) {
    return `${formatNumber(target.min)}..${formatNumber(target.max)}`;
  }
  if (target.min !== undefined) return `≥ ${formatNumber(target.min)}`;
  if (target.max !== undefined) return `≤ ${formatNumber(target.max)}`;
  return "";
}

/** Rows of the table: name, value, unit, target, ok, note. */
export function tableRows(figures: Figure[]): string[][] {
  return figures.map((f) => {
    const ok = meetsTarget(f);
    return [
      f.name,
      f.value === null ? "n/a" : formatNumber(f.value),
      f.unit,
      formatTarget(f.target),
      ok === undefined ? "" : ok ? "yes" : "NO",
      f.note ?? "",
    ];
  });
}

const HEADER = ["figure", "value", "unit", "target", "ok", "note"];

/** A fixed-width table for the terminal. */
export function formatTable(figures: Figure[]): string {
  const rows = [HEADER, ...tableRows(figures)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [
    line(rows[0]!),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ].join("\n");
}

/** The same table as Markdown, for the README, padded the way Biome formats Markdown tables. */
export function formatMarkdownTable(figures: Figure[]): string {
  const escapeCell = (cell: string) => cell.replaceAll("|", "\\|");
  const rows = [HEADER, ...tableRows(figures)].map((r) => r.map(escapeCell));
  const widths = HEADER.map((_, i) => Math.max(3, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 1 ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

/** Builds `results.json` from the figures. */
export function toResults(figures: Figure[], meta: Omit<Results, "figures">): Results {
  const out: Results["figures"] = {};
  for (const f of figures) {
    out[f.name] =
      f.note === undefined
        ? { value: f.value, unit: f.unit }
        : { value: f.value, unit: f.unit, note: f.note };
  }
  return { ...meta, figures: out };
}
