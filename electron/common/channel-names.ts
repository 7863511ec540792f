/**
 * The contract's channel names without its schemas, for the sandboxed
 * preload. Checked against the contract both ways at compile time, so the
 * list cannot drift from `channels` in ./contract.
 */
import type { ChannelName } from './contract';

export const CHANNEL_LIST = [
  'app:info',
  'analysis:start',
  'analysis:cancel',
  'evidence:describe',
  'settings:get',
  'settings:set',
  'dialog:openEvidence',
  'dialog:openComplaint',
  'draft:save',
  'store:info',
  'store:backup',
  'cases:list',
  'cases:search',
  'cases:get',
  'cases:verifyEvidence',
  'cases:related',
  'cases:hostHistory',
  'cases:setStatus',
  'cases:tag',
  'cases:addNote',
  'cases:saveDraft',
  'cases:markSent',
  'cases:reanalyze',
  'cases:export',
  'cases:import',
  'intake:importPaths',
  'imap:getAccount',
  'imap:setAccount',
  'imap:test',
  'imap:fetch',
  'queue:list',
  'queue:bulk',
  'queue:groupDraft',
  'reply:getSettings',
  'reply:setSettings',
  'reply:compose',
  'reply:send',
  'customers:info',
  'customers:import',
  'customers:lookup',
  'evidence:packet',
  'evidence:openInWireshark',
  'cases:findRepeat',
  'cases:acceptRun',
  'cases:addEvidence',
  'cases:removeEvidence',
  'cases:excludeEvidence',
  'templates:list',
  'templates:get',
  'templates:set',
  'templates:reset',
  'templates:preview',
  'claims:claim',
  'claims:release',
  'claims:get',
  'desk:get',
  'desk:set',
] as const satisfies readonly ChannelName[];

/** Compile error here means a channel in the contract is missing from the list above. */
type Missing = Exclude<ChannelName, (typeof CHANNEL_LIST)[number]>;
export const CHANNEL_LIST_COMPLETE: [Missing] extends [never] ? true : Missing = true;

const known = new Set<string>(CHANNEL_LIST);
export function isKnownChannel(s: unknown): s is ChannelName {
  return typeof s === 'string' && known.has(s);
}
