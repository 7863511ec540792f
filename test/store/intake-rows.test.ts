import { describe, expect, it } from 'vitest';
import { intakeSourceLocation, intakeSourceName, parseGroup, rawComplaint } from '../../store/intake-rows';

describe('intake rows', () => {
  it('names a message\'s source shortly and says where to find it again', () => {
    expect([intakeSourceName({ kind: 'mbox', path: '/var/mail/abuse.mbox', index: 2 }), intakeSourceLocation({ kind: 'mbox', path: '/var/mail/abuse.mbox', index: 2 })]).toEqual(['abuse.mbox#3', '/var/mail/abuse.mbox']);
    expect(intakeSourceName({ kind: 'maildir', path: '/m/new/1733.M1.host:2,S', filename: '1733.M1.host:2,S' })).toBe('1733.M1.host:2,S');
    expect([intakeSourceName({ kind: 'imap', mailbox: 'INBOX', uid: 7, account: 'abuse@mail.example' }), intakeSourceLocation({ kind: 'imap', mailbox: 'INBOX', uid: 7, account: 'abuse@mail.example' })]).toEqual(['INBOX UID 7', 'abuse@mail.example/INBOX']);
    expect([intakeSourceName({ kind: 'pasted' }), intakeSourceLocation({ kind: 'pasted' })]).toEqual(['pasted', 'pasted']);
  });

  it('keeps an unreadable message as its text, understood as nothing, with why', () => {
    const c = rawComplaint(new Uint8Array([0x48, 0x69, 0xff]), ['no blank line after the header']);
    expect(c).toMatchObject({ format: 'raw', accused: [], activity: 'other', text: 'Hi\ufffd', warnings: ['no blank line after the header'] });
  });

  it('reads a group key and its case ids', () => {
    expect(parseGroup('backscatter|198.51.100.80|port-scan', '12,3,7')).toEqual({ groupKey: 'backscatter|198.51.100.80|port-scan', verdict: 'backscatter', accused: '198.51.100.80', activity: 'port-scan', caseIds: [3, 7, 12] });
  });
});
