import { describe, expect, it } from 'vitest';
import { findFeedbackReport, parseFeedbackReport } from '../../../analysis/complaint/arf';

describe('ARF feedback report', () => {
  it('reads Source-IP, Arrival-Date, Feedback-Type; finds an embedded block', () => {
    const text = 'intro\n\nFeedback-Type: virus\nUser-Agent: X/1\nVersion: 1\nArrival-Date: Tue, 04 Aug 2015 08:51:18 -0000\nSource-IP: 192.0.2.200\nReported-Domain: example.com\n\nrest';
    const block = findFeedbackReport(text)!;
    const f = parseFeedbackReport(block);
    expect(f).toMatchObject({ accused: ['192.0.2.200'], activity: 'worm', times: [{ text: 'Tue, 04 Aug 2015 08:51:18 -0000' }] });
    expect(f.fields['Reported-Domain']).toBe('example.com');
    expect(parseFeedbackReport('Feedback-Type: abuse\nSource-IP: nonsense').warnings[0]).toMatch(/not an address/);
  });
});
