/**
 * The command line in this process: `runCli(argv, io)` runs one command the
 * way bin/abuse-desk.mjs does and returns its exit status, without a new
 * Node process and TypeScript loader per command (the tests run hundreds).
 *
 * The commands write to process.stdout and process.stderr and read
 * process.stdin, as they do in the binary; for the run those are redirected
 * to `io`, so what the caller gets is what the binary prints. They are the
 * process's own, so runs are queued: one at a time.
 */
import { Readable } from 'node:stream';
import { main } from './main';

export interface CliIo {
  /** Receives what the command writes to standard output. */
  stdout: (text: string) => void;
  /** Receives what the command writes to standard error. */
  stderr: (text: string) => void;
  /** Standard input; empty when not given (like a closed pipe). */
  stdin?: string | Uint8Array;
  /** Environment variables for the run (undefined unsets one); the old values come back afterwards. */
  env?: Record<string, string | undefined>;
}

type Write = typeof process.stdout.write;

let queue: Promise<unknown> = Promise.resolve();

/** Run one command; resolves with its exit status (0 done, 1 failure, 2 usage or unreadable input). */
export function runCli(argv: string[], io: CliIo): Promise<number> {
  const run = queue.then(() => runNow(argv, io));
  queue = run.catch(() => undefined);
  return run;
}

function writer(sink: (text: string) => void): Write {
  return ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(() => done());
    return true;
  }) as Write;
}

async function runNow(argv: string[], io: CliIo): Promise<number> {
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const oldEnv = new Map(Object.keys(io.env ?? {}).map((k) => [k, process.env[k]]));
  const input = io.stdin === undefined ? [] : [typeof io.stdin === 'string' ? Buffer.from(io.stdin, 'utf8') : Buffer.from(io.stdin)];
  Object.defineProperty(process, 'stdin', { value: Readable.from(input), configurable: true, enumerable: true });
  process.stdout.write = writer(io.stdout);
  process.stderr.write = writer(io.stderr);
  for (const [k, v] of Object.entries(io.env ?? {})) setEnv(k, v);
  try {
    return await main(argv);
  } catch (e) {
    // The binary dies of the same error: Node prints its stack and exits with 1.
    io.stderr(`${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    Object.defineProperty(process, 'stdin', stdinDescriptor);
    for (const [k, v] of oldEnv) setEnv(k, v);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
