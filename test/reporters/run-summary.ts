import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Printed after every run of a tier: each skipped test with the reason its
 * title or `ctx.skip(note)` gives, the skip count, and the tier's wall time
 * against its budget. A skip without a reason fails the run: nothing may
 * pass silently.
 */
export default class RunSummary implements Reporter {
  private readonly started = Date.now();

  private readonly tier: string;
  private readonly budgetSeconds?: number;

  constructor(options: { tier?: string; budget?: number } = {}) {
    this.tier = options.tier ?? 'tests';
    this.budgetSeconds = options.budget;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    const unexplained: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state !== 'skipped') continue;
        const where = relative(process.cwd(), m.moduleId);
        const line = `${where} > ${t.fullName}${r.note ? ` (${r.note})` : ''}`;
        skipped.push(line);
        if (!r.note && !/\(skipped: [^)]+\)/.test(t.fullName)) unexplained.push(line);
      }
    }
    const seconds = Math.round((Date.now() - this.started) / 1000);
    const out: string[] = ['', `::: ${this.tier}: ${skipped.length} skipped test(s)`];
    for (const s of skipped) out.push(`  skip  ${s}`);
    if (unexplained.length) {
      out.push(`::: ${unexplained.length} skip(s) give no reason; write "(skipped: why)" in the title or call ctx.skip(why)`);
      process.exitCode = 1;
    }
    const budget = this.budgetSeconds ? ` (budget ${this.budgetSeconds} s on 2 unloaded cores)` : '';
    out.push(`::: ${this.tier}: ${seconds} s wall${budget}`);
    process.stdout.write(out.join('\n') + '\n');
  }
}
