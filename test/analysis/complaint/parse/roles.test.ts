import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../../../analysis/complaint/addresses';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { assignRoles, decideRoles } from '../../../../analysis/complaint/parse/roles';
import { tcp } from '../../../helpers/events';

const roles = (subject: string, body: string, ourNets?: string[]): ReturnType<typeof assignRoles> => assignRoles(findAddresses(subject), findAddresses(body), [], [], ourNets);

describe('roles of the addresses', () => {
  it('the words decide: the attacker is accused, the attacked host a target', () => {
    expect(roles('', 'Attack from 198.51.100.7 against our server 203.0.113.9')).toMatchObject({ accused: ['198.51.100.7'], targets: ['203.0.113.9'], warnings: [] });
  });

  it('a structured report\'s accused come first; a quoted line\'s source is accused when nothing else says', () => {
    const report = { ...emptyFacts('xarf-json'), accused: ['198.51.100.9'], targets: ['203.0.113.1'] };
    expect(decideRoles([], findAddresses('seen 198.51.100.7'), [report], [])).toMatchObject({ accused: ['198.51.100.9'], targets: ['203.0.113.1'] });
    const line = tcp({ src: '198.51.100.44', dst: '203.0.113.8', sport: 1, dport: 22, ts: 1 });
    expect(decideRoles([], [], [], [line])).toEqual({ accused: ['198.51.100.44'], targets: ['203.0.113.8'], others: [] });
  });

  it('with no word for a target, a handful of other addresses are the complainant\'s; nine are a pasted log', () => {
    const few = Array.from({ length: 8 }, (_, i) => `192.0.2.${i + 1}`).join(' ');
    expect(roles('Abuse from 198.51.100.7', `hosts ${few}`).targets).toHaveLength(8);
    const nine = Array.from({ length: 9 }, (_, i) => `192.0.2.${i + 1}`).join(' ');
    expect(roles('Abuse from 198.51.100.7', `hosts ${nine}`).targets).toEqual([]);
  });

  it('our networks decide who is accused; none of ours, a bogon or the target\'s /24 is named', () => {
    // The words accuse 203.0.113.9, but only our 198.51.100.7 can be the accused: it is, and it is no target.
    expect(roles('', 'Attack from 203.0.113.9 against 198.51.100.7', ['198.51.100.0/24'])).toMatchObject({ accused: ['198.51.100.7'], targets: [] });
    expect(roles('', 'Attack from 198.51.100.7 against 203.0.113.9', ['198.51.100.0/24'])).toMatchObject({ accused: ['198.51.100.7'], targets: ['203.0.113.9'] });
    expect(roles('', 'Attack from 203.0.113.9 against 192.0.2.1', ['198.51.100.0/24']).warnings)
      .toEqual(['none of the complaint\'s addresses (203.0.113.9, 192.0.2.1) is in our networks (198.51.100.0/24)']);
    expect(roles('portscans from 127.0.0.1', 'from source 127.0.0.1 to our host 192.0.2.77').warnings).toEqual(['accused address 127.0.0.1 is loopback: no network can route it']);
    expect(roles('', 'Attack from 192.0.2.7 against 192.0.2.9').warnings).toEqual(['accused address 192.0.2.7 is in the same /24 as a target: it may be the complainant\'s own LAN']);
    expect(roles('', 'nothing here').warnings).toEqual(['no accused IP address found in the complaint']);
  });
});

describe('addresses that name a network, not a host', () => {
  it('our broadcast address is neither accused nor the complainant, with our networks known or not', () => {
    const body = 'Bursts of UDP from 198.51.100.90 source port 770 to the broadcast address 198.51.100.255.';
    const ours = roles('possible worm on 198.51.100.90', body, ['198.51.100.0/24']);
    expect(ours).toMatchObject({ accused: ['198.51.100.90'], targets: [] });
    expect(ours.others).toContain('198.51.100.255');
    expect(ours.warnings).toEqual(['198.51.100.255 is the broadcast address of our network 198.51.100.0/24: taken as neither the accused nor the complainant']);
    // Without our networks the accused host's /24 stands for them.
    expect(roles('possible worm on 198.51.100.90', body)).toMatchObject({ accused: ['198.51.100.90'], targets: [] });
    // A host at .255 of a wider prefix is a host.
    expect(roles('', 'Attack from 198.51.100.90 against 198.51.101.255', ['198.51.100.0/23'])).toMatchObject({ accused: ['198.51.100.90'], targets: [] });
    expect(roles('', 'Attack from 198.51.100.90 against 203.0.113.255', ['198.51.100.0/24'])).toMatchObject({ targets: ['203.0.113.255'] });
  });

  it('a multicast group is no complainant', () => {
    expect(roles('', 'Attack from 198.51.100.90 against 224.0.0.251 and 203.0.113.9', ['198.51.100.0/24']).targets).toEqual(['203.0.113.9']);
  });
});
