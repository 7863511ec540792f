import { basename } from 'node:path';
import { describe, it } from 'vitest';
import { EvidenceSummaryCollector } from '../../../analysis/events/evidence-summary';
import type { Flow } from '../../../analysis/events/flow-table';
import type { ReadSummary } from '../../../analysis/ingest/reader';
import { readEvidenceFile } from '../../../services/io/read-file';
import { argusRecords, argusVersions } from '../../helpers/argus';
import { tsharkAnswer, tsharkVersion } from '../../helpers/tshark';
import { compareTcpStates, type StateComparison } from './flow-table-vs-argus';
import { compareConversations, type ConversationComparison } from './flow-table-vs-tshark';

/**
 * The flow-table differential for a list of captures, shared by the unit
 * tier (a sample) and the slow tier (every capture). Our side is what
 * `inspect` shows: the capture read by the real readers into the
 * EvidenceSummaryCollector's FlowTable.
 */

export interface FlowDifferential {
  summary: ReadSummary;
  flows: Flow[];
  conversations: ConversationComparison;
  states: StateComparison;
}

const results = new Map<string, Promise<FlowDifferential>>();

/** Both comparisons for one capture, computed once per test file. */
export function flowDifferential(file: string): Promise<FlowDifferential> {
  let r = results.get(file);
  if (!r) {
    r = (async () => {
      const collector = new EvidenceSummaryCollector();
      const [{ summary }, answer, records] = await Promise.all([
        readEvidenceFile(file, { onEvent: (ev) => collector.add(ev) }),
        tsharkAnswer(file),
        argusRecords(file),
      ]);
      const flows = collector.flows.all();
      return {
        summary, flows,
        conversations: compareConversations(flows, answer),
        states: compareTcpStates(flows, records, answer.packets, summary.linkTypes),
      };
    })();
    results.set(file, r);
  }
  return r;
}

export function defineFlowDifferential(title: string, files: string[]): void {
  describe(title, () => {
    it('has tshark, argus and ra (required; .ci/run installs them)', ({ expect }) => {
      expect(tsharkVersion()).toMatch(/^TShark/);
      expect(argusVersions()).toHaveLength(2);
    });

    describe.concurrent("conversations equal tshark's -z conv,tcp / conv,udp", () => {
      for (const file of files) {
        it(basename(file), async ({ expect }) => {
          const d = await flowDifferential(file);
          expect(d.summary.error).toBeUndefined();
          expect(d.conversations.problems).toEqual([]);
        });
      }
    });

    describe.concurrent("TCP states map to argus' ra states", () => {
      for (const file of files) {
        it(basename(file), async ({ expect }) => {
          const d = await flowDifferential(file);
          expect(d.states.problems).toEqual([]);
        });
      }
    });
  });
}
