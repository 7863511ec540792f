import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { parseMail } from '../../../../analysis/complaint/mail';
import { findReporter } from '../../../../analysis/complaint/parse/reporter';
import { fixturesDir } from '../../../helpers/paths';

const REPORTER = 'a@x.example, b@evil.example';

describe('reporter', () => {
  it('a mail\'s sender, its organisation the address\'s domain', async () => {
    const mail = await parseMail(new Uint8Array(readFileSync(join(fixturesDir, 'complaints', 'cet-portscan.eml'))));
    expect(findReporter(mail, undefined, [])).toEqual({ address: 'noc@mail.example-isp.test', name: 'NOC Team', organisation: 'example-isp.test' });
  });

  it('a pasted From: line, with a name in quotes or not, or only a name', () => {
    expect(findReporter(null, '"NOC" <noc@isp.example>', [])).toEqual({ address: 'noc@isp.example', name: 'NOC', organisation: 'isp.example' });
    expect(findReporter(null, 'Abuse Desk <abuse@isp.example>', [])).toEqual({ address: 'abuse@isp.example', name: 'Abuse Desk', organisation: 'isp.example' });
    expect(findReporter(null, 'The NOC', [])).toEqual({ name: 'The NOC' });
    // A bare address has no name: its first letter is not one.
    expect(findReporter(null, 'noc@isp.example', [])).toEqual({ address: 'noc@isp.example', organisation: 'isp.example' });
    expect(findReporter(null, '<noc@isp.example>', [])).toEqual({ address: 'noc@isp.example', organisation: 'isp.example' });
  });

  it('a report fills only what is missing; its organisation wins over the domain', () => {
    const report = { ...emptyFacts('xarf-json'), reporter: { address: 'other@cert.example', name: 'CERT', organisation: 'Example CERT' } };
    expect(findReporter(null, '<noc@isp.example>', [report])).toEqual({ address: 'noc@isp.example', name: 'CERT', organisation: 'isp.example' });
    expect(findReporter(null, undefined, [report])).toEqual({ address: 'other@cert.example', name: 'CERT', organisation: 'Example CERT' });
  });

  it('a report\'s reporter address that is a list is not taken: no second recipient, no "evil" organisation', () => {
    const report = { ...emptyFacts('xarf-json'), reporter: { address: 'a@x.example, b@evil.example', name: 'CERT' } };
    const warnings: string[] = [];
    expect(findReporter(null, undefined, [report], warnings)).toEqual({ name: 'CERT' });
    expect(warnings).toEqual(['the reporter\'s address "a@x.example, b@evil.example" is not one mail address: not used']);
    // A pasted From: line written without a space after the comma, and a group.
    expect(findReporter(null, 'a@x.example,b@evil.example', [], warnings).address).toBeUndefined();
    // Pasted with a space, it is no address at all: not a name to greet either.
    expect(findReporter(null, REPORTER, [], warnings)).toEqual({});
    expect(warnings.at(-1)).toBe(`the reporter's address "${REPORTER}" is not one mail address: not used`);
    expect(findReporter(null, undefined, [{ ...report, reporter: { address: 'list: a@x.example;' } }], [])).toEqual({});
    // The mail's own sender still wins, and a valid report address still fills a gap.
    expect(findReporter(null, undefined, [report, { ...report, reporter: { address: 'ok@cert.example' } }], [])).toEqual({ address: 'ok@cert.example', name: 'CERT', organisation: 'cert.example' });
  });
});
