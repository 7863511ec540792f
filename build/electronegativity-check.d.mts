export interface TriageRow { check: string; file: string; code: string; status: string; why: string }
export interface Finding { check: string; file: string; line: number; text: string; message: string }
/** Rows of the triage tables in electron/ELECTRONEGATIVITY.md. */
export function parseTriage(markdown: string): TriageRow[];
/** SARIF results as findings, each with the text of the line it points at. */
export function findingsFromSarif(sarif: unknown, readLine: (file: string, line: number) => string): Finding[];
/** Findings no row triages, and rows that match no finding. */
export function compare(findings: Finding[], rows: TriageRow[]): { untriaged: Finding[]; stale: TriageRow[] };
