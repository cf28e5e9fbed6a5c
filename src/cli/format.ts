/**
 * Small text helpers for the command line's output.
 */

/**
 * A count with its noun, singular for exactly one.
 *
 * @example
 * plural(1, "delivery", "deliveries") // "1 delivery"
 * plural(2, "delivery", "deliveries") // "2 deliveries"
 * plural(3, "event")                  // "3 events"
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A plain text table: a header row, then one row per object, columns padded to their widest cell
 * (unlike `console.table`, no `(index)` column and no box drawing).
 *
 * @example
 * formatTable([{ status: 202, count: 3 }])
 * // ["status  count", "202     3"]
 */
export function formatTable(rows: readonly Record<string, string | number>[]): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = [columns, ...rows.map((row) => columns.map((column) => String(row[column] ?? "")))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells.map((line) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
