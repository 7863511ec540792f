/** A plain text table: header rows, body rows, columns right-aligned where `right[i]`. */
export function formatTable(head: string[][], body: string[][], right: boolean[]): string {
  const rows = [...head, ...body];
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => widths.map((w, i) => (right[i] ? (cells[i] ?? '').padStart(w) : (cells[i] ?? '').padEnd(w))).join('  ').trimEnd();
  return [...head.map(line), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
