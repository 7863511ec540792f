/**
 * Our customers by address: importing the operator's list and asking whose
 * machine an address is. Collected into the contract's `channels` table.
 */
import { z } from 'zod';
import type { CustomerEntry } from '../../analysis/customers/customer-table';
import { channel } from './channel';
import { isAddressOrCidr } from './address-syntax';

export type { CustomerEntry };

export interface CustomerListInfo {
  count: number;
  source: string | null;
  importedAt: number | null;
}

export interface CustomerImportReply extends CustomerListInfo {
  imported: boolean;
  skipped: number;
  problems: string[];
}

export const customerChannels = {
  'customers:info': channel(z.strictObject({})).returns<CustomerListInfo>(),

  /** Replace the list with the operator's CSV or JSON (its text and the file name it came from). */
  'customers:import': channel(z.strictObject({
    text: z.string().min(1).max(64 * 1024 * 1024),
    name: z.string().max(255).regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'control characters' }),
  })).returns<CustomerImportReply>(),

  /** Each address with its customer (null when none). */
  'customers:lookup': channel(z.strictObject({
    addresses: z.array(z.string().max(64).refine(isAddressOrCidr, { message: 'not an IP address' })).min(1).max(500),
  })).returns<Record<string, CustomerEntry | null>>(),
} as const;
