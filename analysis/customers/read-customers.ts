/**
 * The operator's customer list as text: CSV with a header row naming the
 * columns (prefix, customer, contact, notes; "cidr", "network" and "name"
 * are read too), or JSON (an array of such objects). Each bad row is named
 * by its line (CSV) or index (JSON) and skipped; the rest is read. Budgets:
 * the text, the rows and each field have a limit, past which reading stops
 * with a message saying where.
 */
import { printableLine } from '../util/printable';
import { CustomerTable, type CustomerEntry } from './customer-table';

export const CUSTOMER_LIMITS = { textChars: 64 * 1024 * 1024, rows: 1_000_000, fieldChars: 1000 } as const;

export interface CustomerReadResult {
  table: CustomerTable;
  /** Rows read into the table. */
  read: number;
  /** Rows skipped, each with where and why (at most 100 listed). */
  problems: string[];
  skipped: number;
}

const COLUMN: Record<string, keyof CustomerEntry> = {
  prefix: 'prefix', cidr: 'prefix', network: 'prefix', net: 'prefix', range: 'prefix',
  customer: 'customer', name: 'customer', owner: 'customer',
  contact: 'contact', email: 'contact', 'e-mail': 'contact',
  notes: 'notes', note: 'notes', comment: 'notes',
};

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. Yields each row with its first line number. */
function* csvRows(text: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') { fields.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f.trim())) yield { line: rowLine, fields };
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  fields.push(field);
  if (fields.some((f) => f.trim())) yield { line: rowLine, fields };
}

function clean(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = printableLine(String(v)).trim();
  return s ? s.slice(0, CUSTOMER_LIMITS.fieldChars) : undefined;
}

function toEntry(raw: Partial<Record<keyof CustomerEntry, unknown>>): CustomerEntry | string {
  const prefix = clean(raw.prefix);
  const customer = clean(raw.customer);
  if (!prefix) return 'no prefix';
  if (!customer) return 'no customer';
  const contact = clean(raw.contact);
  const notes = clean(raw.notes);
  return { prefix, customer, ...(contact ? { contact } : {}), ...(notes ? { notes } : {}) };
}

export function readCustomers(text: string, name = 'customers'): CustomerReadResult {
  const table = new CustomerTable();
  const problems: string[] = [];
  let read = 0;
  let skipped = 0;
  const problem = (where: string, why: string) => {
    skipped++;
    if (problems.length < 100) problems.push(`${name} ${where}: ${why}`);
  };
  let body = text;
  if (body.length > CUSTOMER_LIMITS.textChars) {
    problems.push(`${name}: only the first ${CUSTOMER_LIMITS.textChars} characters were read (the list is longer)`);
    body = body.slice(0, CUSTOMER_LIMITS.textChars);
  }
  const add = (where: string, raw: Partial<Record<keyof CustomerEntry, unknown>>): boolean => {
    if (read + skipped >= CUSTOMER_LIMITS.rows) {
      problems.push(`${name} ${where}: stopped after ${CUSTOMER_LIMITS.rows} rows`);
      return false;
    }
    const e = toEntry(raw);
    if (typeof e === 'string') problem(where, e);
    else if (!table.add(e)) problem(where, `"${e.prefix.slice(0, 60)}" is not an address or CIDR prefix`);
    else read++;
    return true;
  };

  if (/^\s*[[{]/.test(body)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      return { table, read, skipped, problems: [`${name}: not valid JSON (${(e as Error).message.slice(0, 120)})`] };
    }
    const rows = Array.isArray(parsed) ? parsed : (parsed as { customers?: unknown }).customers;
    if (!Array.isArray(rows)) return { table, read, skipped, problems: [`${name}: JSON must be an array of {prefix, customer, contact, notes}`] };
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as Record<string, unknown> | null;
      if (!r || typeof r !== 'object') { problem(`entry ${i + 1}`, 'not an object'); continue; }
      const mapped: Partial<Record<keyof CustomerEntry, unknown>> = {};
      for (const [k, v] of Object.entries(r)) {
        const col = COLUMN[k.toLowerCase()];
        if (col && mapped[col] === undefined) mapped[col] = v;
      }
      if (!add(`entry ${i + 1}`, mapped)) break;
    }
    return { table, read, skipped, problems };
  }

  let columns: Array<keyof CustomerEntry | undefined> | null = null;
  for (const row of csvRows(body)) {
    if (!columns) {
      columns = row.fields.map((f) => COLUMN[f.trim().toLowerCase()]);
      if (!columns.includes('prefix') || !columns.includes('customer')) {
        return { table, read, skipped, problems: [`${name} line ${row.line}: the header must name a prefix and a customer column (prefix,customer,contact,notes)`] };
      }
      continue;
    }
    const mapped: Partial<Record<keyof CustomerEntry, unknown>> = {};
    row.fields.forEach((f, i) => {
      const col = columns![i];
      if (col && mapped[col] === undefined) mapped[col] = f;
    });
    if (!add(`line ${row.line}`, mapped)) break;
  }
  if (!columns) problems.push(`${name}: empty`);
  return { table, read, skipped, problems };
}
