import { describe, expect, it } from 'vitest';
import { ipv4Value } from '../../../analysis/util/ipv4-value';

describe('ipv4Value', () => {
  it('keys IPv4 addresses by value only when the spelling is canonical (the rest are interned as written)', () => {
    expect(['0.0.0.0', '10.0.0.1', '255.255.255.255'].map(ipv4Value)).toEqual([0, 0x0a000001, 0xffffffff]);
    expect(['010.0.0.1', '1.2.3.04', '256.0.0.1', '1.2.3', '1.2.3.4.5', '::ffff:1.2.3.4', '2001:db8::1'].map(ipv4Value)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });

  it('an octet of 256 is no address in any of the four places; 255 is', () => {
    expect(['255.1.2.3', '1.255.2.3', '1.2.255.3', '1.2.3.255'].map(ipv4Value)).toEqual([0xff010203, 0x01ff0203, 0x0102ff03, 0x010203ff]);
    expect(['256.1.2.3', '1.256.2.3', '1.2.256.3', '1.2.3.256'].map(ipv4Value)).toEqual([-1, -1, -1, -1]);
  });

  it('takes digits only: an address with a port, an empty octet or a trailing dot is not an IPv4 address', () => {
    // ':' follows '9' in ASCII: "192.0.2.1:8" must not read as 192.0.2.208.
    expect(['192.0.2.1:8', '192.0.2.1/24', '192.0..2', '.192.0.2', '192.0.2.', '192.0.2.1 '].map(ipv4Value)).toEqual([-1, -1, -1, -1, -1, -1]);
  });
});
