import { describe, expect, it } from 'vitest';
import { normaliseComplaintBytes, normaliseComplaintText, threadKey, Threader } from '../../../analysis/triage/normalise';

describe('normalise', () => {
  it('a thread of three messages has one key, with or without References', () => {
    const a = { messageId: '<a1@Example.ORG>' };
    const b = { messageId: '<b2@example.net>', inReplyTo: '<a1@example.org>', references: '<a1@example.org>' };
    const c = { messageId: '<c3@example.org>', inReplyTo: '<b2@example.net>', references: ['<a1@example.org>', '<b2@example.net>'] };
    expect(new Set([a, b, c].map(threadKey))).toEqual(new Set(['a1@example.org']));
    const t = new Threader();
    const lost = { messageId: '<c3@example.org>', inReplyTo: '<b2@example.net>' };
    expect([a, b, lost].map((m) => t.add(m))).toEqual(['a1@example.org', 'a1@example.org', 'a1@example.org']);
  });

  it('copies of one complaint normalise alike whatever their transport headers, case, spacing and quote markers', () => {
    const one = 'Received: from a\r\nDate: Mon, 1 Jan 2026 10:00:00 +0000\r\nMessage-ID: <1@x>\r\nFrom: abuse@example.org\r\nSubject: Scan from 198.51.100.80\r\n\r\nYour host   198.51.100.80 scanned us.\r\n';
    const two = 'Received: from b\n\tby mx2; Mon, 1 Jan 2026 11:00:00 +0000\nDate: Mon, 1 Jan 2026 11:00:00 +0000\nMessage-ID: <2@x>\nX-Spam-Score: 0.1\nFrom: abuse@example.org\nSubject: scan from 198.51.100.80\n\n> your host 198.51.100.80\n>  scanned us.\n';
    const enc = new TextEncoder();
    expect(normaliseComplaintBytes(enc.encode(one))).toBe(normaliseComplaintBytes(enc.encode(two)));
    expect(normaliseComplaintText(one)).toBe('from: abuse@example.org subject: scan from 198.51.100.80 your host 198.51.100.80 scanned us.');
    expect(normaliseComplaintText(one)).not.toBe(normaliseComplaintText(one.replace('.80 scanned', '.81 scanned')));
    expect(normaliseComplaintText('Subject: Scan\n\nA  B\n')).toBe(normaliseComplaintText('subject: scan\r\n\r\na b'));
    const folded = 'Received: from mx1 by mx2;\n\tTue, 1 Dec 2025\nMessage-ID: <1@x>\nDate: Tue, 1 Dec 2025 10:00:00 +0000\nSubject: Scan\n\nYour host   198.51.100.10 SCANNED us.\n';
    expect(normaliseComplaintText(folded)).toBe('subject: scan your host 198.51.100.10 scanned us.');
  });

  it('drops the varying headers wherever they appear (a forwarded copy), but keeps fields a complaint quotes as evidence', () => {
    const forwarded = 'Subject: Fw\n\n---------- Forwarded ----------\nDate: Tue, 2 Dec 2025\nMessage-ID: <9@y>\nYour host 198.51.100.10 scanned us.';
    expect(normaliseComplaintText(forwarded)).toBe('subject: fw ---------- forwarded ---------- your host 198.51.100.10 scanned us.');
    // Two requests that differ only in the client address they quote are two complaints.
    const request = (xff: string): string => `Subject: attack\n\nGET /wp-login.php\nX-Forwarded-For: ${xff}\nTo: abuse@example.net`;
    expect(normaliseComplaintText(request('198.51.100.10'))).not.toBe(normaliseComplaintText(request('198.51.100.11')));
  });
});
