import { statSync } from 'node:fs';
import { expect } from 'vitest';
import { Diagnostics } from '../../analysis/events/diagnostics';
import { ownPayload, type NetEvent } from '../../analysis/events/event';
import { readPcapFramedElsewhere } from '../../analysis/ingest/capture/capture-reader';
import { ingest, withStopError } from '../../analysis/ingest/ingest';
import type { ReadSummary } from '../../analysis/ingest/reader';
import { fileChunks } from '../../services/io/file-source';
import { framerInThread } from '../../services/io/frame-thread';

/** A classic pcap read in the calling thread and framed in a thread of its own (services/io/frame-thread.ts), compared. */

export interface Read { events: NetEvent[]; summary: ReadSummary; weirds: unknown[]; counts: Array<[string, number]> }

/** `stall`: the sink takes that long over the first event, so the worker runs ahead until every slot is taken. */
async function read(path: string, elsewhere: boolean, caseAddresses?: readonly string[], stall = 0): Promise<Read> {
  const diag = new Diagnostics();
  const events: NetEvent[] = [];
  const size = statSync(path).size;
  const ctx = { file: 'evidence.pcap', diag, size, caseAddresses };
  const sink = (ev: NetEvent): void => {
    if (events.length === 0 && stall > 0) for (const until = Date.now() + stall; Date.now() < until;);
    events.push(ownPayload(ev));
  };
  const summary = elsewhere
    ? withStopError(await readPcapFramedElsewhere(framerInThread(path, size)!, ctx, sink), diag.weirds)
    : await ingest(fileChunks(path, undefined, size), ctx, sink);
  return { events, summary, weirds: diag.weirds, counts: [...diag.counts] };
}

export async function expectSameBothWays(path: string, caseAddresses?: readonly string[], stall = 0): Promise<Read> {
  const here = await read(path, false, caseAddresses);
  const there = await read(path, true, caseAddresses, stall);
  expect(there.summary).toEqual(here.summary);
  expect(there.weirds).toEqual(here.weirds);
  expect(there.counts).toEqual(here.counts);
  expect(there.events.length).toBe(here.events.length);
  expect(there.events).toStrictEqual(here.events);
  return here;
}

