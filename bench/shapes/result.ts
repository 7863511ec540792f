import type { Conclusion, ToolId } from './jobs';
import type { Run } from './measure';

/** One shape's measurements, as bench.ts collects them and report.ts prints them. */
export interface ToolResult {
  tool: ToolId;
  /** The figure: the one run, or with --repeat the median of `seconds` (repeat.ts). */
  run?: Run;
  /** Wall seconds of every round, in order (--repeat). */
  seconds?: number[];
  skipped?: string;
  /** For our CLI: its bundle or the sources through tsx. */
  ranFrom?: 'bundle' | 'tsx';
}

export interface ShapeResult {
  id: string;
  title: string;
  file: string;
  bytes: number;
  packets: number;
  facts: Record<string, number>;
  tools: ToolResult[];
  full?: Conclusion;
  slice?: Conclusion;
  sliceRun?: Run;
  slicePackets: { first: number; count: number };
}

