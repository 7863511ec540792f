import { describe, expect, it } from 'vitest';
import { isAddressOrCidr } from '../../../electron/common/address-syntax';

describe('address syntax', () => {
  it('checks address syntax', () => {
    for (const s of ['198.51.100.0/24', '198.51.100.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::', '::ffff:192.0.2.1', 'fe80::1:2:3:4/64', '1:2:3:4:5:6:7:8'])
      expect(isAddressOrCidr(s), s).toBe(true);
    for (const s of ['', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4/', '1.2.3.4/33', '2001:db8::/129', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', 'localhost', '1.2.3.4/24/1'])
      expect(isAddressOrCidr(s), s).toBe(false);
  });});
