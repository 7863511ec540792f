import { report } from './report';

/** (b) Our end-to-end ingestion: readEvidenceFile decodes every packet and the flow table takes every event, as `inspect` does. */
const file = process.argv[2];
// TODO(bench): cli/io/read-file.ts is the lead engineer's; if it moves or changes signature, this is the one place to follow.
let mod: typeof import('../../services/io/read-file');
try {
  mod = await import('../../services/io/read-file');
} catch (e) {
  console.error(`readEvidenceFile is not available yet (cli/io/read-file.ts): ${(e as Error).message}`);
  process.exit(2);
}
const { FlowTable } = await import('../../analysis/events/flow-table');
const flows = new FlowTable();
let events = 0;
const { summary, diag } = await mod.readEvidenceFile(file, { onEvent: (ev) => { events++; flows.add(ev); } });
if (summary.error) console.error(`read error: ${summary.error}`);
report({ packets: summary.records, events, flows: flows.size, format: summary.format, weirds: diag.weirds.length });
