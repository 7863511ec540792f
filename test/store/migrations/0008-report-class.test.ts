import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { CaseStore } from '../../../store/case-store';
import { tempDir } from '../helpers';

describe('migration 0008-report-class', () => {
  it('files stored cases by their report type, ranks them again in the new classes and marks the repeats', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 7);
      await db.transaction(async (tx) => {
        const rows: Array<[number, string, object, string | null]> = [
          // A Netcraft phishing report, an X-ARF open service and two first looks about one host.
          [1, '198.51.100.11', { activity: 'spam', subject: 'Issue 1: phishing attack', reportFields: { 'Report-Type': 'phishing', Source: 'http://customer1.tld/x/' } }, 'compromise'],
          [2, '198.51.100.12', { activity: 'other', reportFields: { 'report.reporttype': 'OpenService', 'report.servicename': 'redis' } }, 'legitimate'],
          [3, '198.51.100.13', { activity: 'port-scan' }, 'compromise'],
          [4, '198.51.100.13', { activity: 'port-scan' }, 'compromise'],
        ];
        for (const [id, addr, complaint, provisional] of rows) {
          // rank_class 1 was 'repeat' in the classes before this step: it must not survive.
          await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text,
              provisional_verdict, provisional_confidence, rank_class, rank_score, rank_reason)
            VALUES (?, ?, ?, ?, 'new', ?, 'c.eml', x'00', ?, '', ?, 0.6, 1, 0, 'old')`,
          [id, id, id, Date.UTC(2025, 11, id), String(id).repeat(64), JSON.stringify(complaint), provisional]);
          await tx.run("INSERT INTO case_addresses (case_id, role, address, addr_key) VALUES (?, 'accused', ?, NULL)", [id, addr]);
          await tx.run('UPDATE cases SET primary_accused = ? WHERE id = ?', [addr, id]);
        }
      });
      expect(await migrate(db)).toContain(8);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(8);
      expect(await db.all('SELECT id, report_class, report_detail, rank_repeat FROM cases ORDER BY id')).toEqual([
        { id: 1, report_class: 'phishing', report_detail: 'http://customer1.tld/x/', rank_repeat: 0 },
        { id: 2, report_class: 'open-service', report_detail: 'Redis', rank_repeat: 0 },
        { id: 3, report_class: 'network-abuse', report_detail: 'port scan', rank_repeat: 1 },
        { id: 4, report_class: 'network-abuse', report_detail: 'port scan', rank_repeat: 1 },
      ]);
      await expect(db.run('UPDATE cases SET rank_repeat = 2')).rejects.toThrow(/CHECK/);
    } finally {
      await db.close();
    }
    const store = await CaseStore.open(dir);
    try {
      const q = await store.queue();
      expect(q.items.map((i) => [i.id, i.queueClass])).toEqual([[4, 'compromise'], [3, 'compromise'], [1, 'phishing'], [2, 'open-service']]);
      expect(q.items.find((i) => i.id === 1)?.rankReason).toBe('phishing report: http://customer1.tld/x/');
      expect(q.counts).toMatchObject({ compromise: 2, repeat: 2, phishing: 1, 'open-service': 1, other: 0 });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
