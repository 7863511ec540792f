import type { Finding } from '../../detect/detector';
import type { TriageCheck, TriageContext } from '../context';
import { claimedActivity } from './claimed-activity';
import { hostRoleCheck } from './host-role';
import { impossibleSourceCheck } from './impossible-source';
import { quotedFlags } from './quoted-flags';
import { sensorThreshold } from './sensor-threshold';
import { servicePortAnswers } from './service-port-answers';

/** Every first-look check, in the order their findings are listed; add one by appending it here. */
export const triageChecks: TriageCheck[] = [
  impossibleSourceCheck,
  servicePortAnswers,
  quotedFlags,
  sensorThreshold,
  hostRoleCheck,
  claimedActivity,
];

/** Run the checks; one that throws is reported as a zero-strength context finding and the rest go on. */
export function runChecks(ctx: TriageContext, list: readonly TriageCheck[] = triageChecks): Finding[] {
  const out: Finding[] = [];
  for (const c of list) {
    try {
      out.push(...c.check(ctx));
    } catch (e) {
      out.push({ id: 'check-error', detector: `first-look/${c.id}`, leaning: 'context', strength: 0, summary: `Check ${c.id} failed: ${(e as Error).message}`, evidence: [] });
    }
  }
  return out;
}
