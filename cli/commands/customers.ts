import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { printableLine, terminalJson } from '../../analysis/util/printable';
import { CustomerFile } from '../../services/customers/customer-file';
import { resolveDataDir } from '../data-dir';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `abuse-desk customers import FILE [--data-dir DIR] [--json]
abuse-desk customers lookup ADDRESS... [--data-dir DIR] [--json]
abuse-desk customers info [--data-dir DIR] [--json]

Our customers by address. "import" reads a CSV (header: prefix,customer,contact,notes)
or a JSON array of such objects and makes it the list (the old one is replaced;
bad rows are named and skipped). "lookup" answers whose machine an address is:
the entry with the longest prefix holding it.
Exit status: 0 done; 1 nothing readable in the file, or an address with no customer (lookup); 2 usage.`;

/** The largest list file read (a million prefixes fits in far less). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export async function customersCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  const [sub, ...rest] = positionals;
  const customers = new CustomerFile(resolveDataDir(values['data-dir']));
  const out = (v: unknown, text: string) => process.stdout.write(values.json ? `${terminalJson(v)}\n` : `${text}\n`);
  switch (sub) {
    case 'import': {
      if (rest.length !== 1) throw new UsageError('customers import takes one FILE');
      const file = rest[0];
      const bytes = await stat(file).then((st) => st.size, () => -1);
      if (bytes < 0) throw new UsageError(`${printableLine(file)}: cannot read it`);
      if (bytes > MAX_FILE_BYTES) {
        process.stderr.write(`abuse-desk: ${printableLine(file)}: ${bytes} bytes, over the ${MAX_FILE_BYTES}-byte limit for a customer list\n`);
        return 1;
      }
      const name = printableLine(basename(file));
      const r = await customers.import(await readFile(file, 'utf8'), basename(file));
      const head = r.imported ? `Imported ${r.count} prefixes from ${name}${r.skipped ? `; ${r.skipped} rows skipped:` : ''}` : `Nothing imported from ${name}:`;
      out(r, [head, ...r.problems.map((p) => `  ${printableLine(p)}`)].join('\n'));
      return r.imported ? 0 : 1;
    }
    case 'lookup': {
      if (!rest.length) throw new UsageError('customers lookup takes one or more addresses');
      const found = await customers.lookup(rest);
      const lines = rest.map((a) => {
        const c = found[a];
        return c ? `${printableLine(a)}  ${c.prefix}  ${c.customer}${c.contact ? `  <${c.contact}>` : ''}${c.notes ? `  (${c.notes})` : ''}` : `${printableLine(a)}  no customer`;
      });
      out(found, lines.join('\n'));
      return rest.every((a) => found[a]) ? 0 : 1;
    }
    case 'info': {
      const i = await customers.info();
      out(i, i.source ? `${i.count} prefixes from ${i.source}, imported ${new Date(i.importedAt!).toISOString()}` : 'No customer list imported.');
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown customers command "${printableLine(sub)}"` : 'customers needs import, lookup or info');
  }
}
