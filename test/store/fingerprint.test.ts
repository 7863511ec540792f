import { describe, expect, it } from 'vitest';
import { complaintFingerprint, normalizeComplaintText } from '../../store/fingerprint';

describe('complaint fingerprint', () => {
  it('ignores case, whitespace, quote markers and the headers that vary between deliveries', () => {
    const a = 'Received: from mx1 by mx2;\n\tTue, 1 Dec 2025\nMessage-ID: <1@x>\nDate: Tue, 1 Dec 2025 10:00:00 +0000\nSubject: Scan\n\nYour host   198.51.100.10 SCANNED us.\n';
    const b = 'Message-ID: <2@y>\r\nDate: Wed, 2 Dec 2025 11:00:00 +0000\r\nSubject: scan\r\n\r\n> Your host 198.51.100.10\r\n> scanned us.';
    expect(normalizeComplaintText(a)).toBe('subject: scan your host 198.51.100.10 scanned us.');
    expect(complaintFingerprint(a)).toBe(complaintFingerprint(b));
    expect(complaintFingerprint(a)).not.toBe(complaintFingerprint(a.replace('198.51.100.10', '198.51.100.11')));
  });
});
