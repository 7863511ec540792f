import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complaintFingerprint } from '../../store/fingerprint';
import { fixturesDir } from '../helpers/paths';

describe('complaint fingerprint', () => {
  it('ignores case, whitespace, quote markers and the headers that vary between deliveries', () => {
    const a = 'Received: from mx1 by mx2;\n\tTue, 1 Dec 2025\nMessage-ID: <1@x>\nDate: Tue, 1 Dec 2025 10:00:00 +0000\nSubject: Scan\n\nYour host   198.51.100.10 SCANNED us.\n';
    const b = 'Message-ID: <2@y>\r\nDate: Wed, 2 Dec 2025 11:00:00 +0000\r\nSubject: scan\r\n\r\n> Your host 198.51.100.10\r\n> scanned us.';
    expect(complaintFingerprint(a)).toBe(complaintFingerprint(b));
    expect(complaintFingerprint(a)).not.toBe(complaintFingerprint(a.replace('198.51.100.10', '198.51.100.11')));
  });

  it('gives the fingerprints stored before the normaliser moved to analysis/ (no migration needed)', () => {
    // Computed by store/fingerprint.ts as it was when it held its own normaliser; cases.complaint_fp holds these.
    const stored: Record<string, string> = {
      'cet-portscan.eml': 'df9faf5719dfadd54fb92bb8e409ab789fc1688d8f54baa6dc7959214a21ab7d',
      'empty-content-type.eml': '529dcf931141333765b202c6e6d1350331efdb3b59a5f21e4467830e55182884',
      'hostile-html.eml': 'f34558ddb86db7343d9e55dbb998c89961bc0c5f072719f30dc122dbdb92fb91',
      'local-times.eml': 'd4ede2d58f0ba14f14d432232811d3e966aa2b1f72e5ad8ed3de3f528e35c148',
      'snort-quoted.eml': '4bb2085068bb03e99a5558cf9698081b688cb189fed1fc01e4e08d595f3e707e',
      'loopback-blaster.txt': 'e6acfef75ae16f139b258157583601494d1ade032ad6158e5bb26ec3d9aa25fa',
    };
    for (const [name, fp] of Object.entries(stored)) {
      const bytes = readFileSync(join(fixturesDir, 'complaints', name));
      expect(complaintFingerprint(bytes), name).toBe(fp);
      expect(complaintFingerprint(bytes.toString('utf8')), name).toBe(fp);
    }
  });
});
