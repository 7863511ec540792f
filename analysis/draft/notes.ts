import type { Complaint } from '../complaint/complaint';
import type { Finding } from '../detect/detector';
import type { VerdictResult } from '../verdict/weigh';

/** What the operator should do, kept apart from the reply. */
export function internalNotes(c: Complaint, v: VerdictResult, findings: Finding[], accused: string[], warnings: string[]): string[] {
  const notes: string[] = [];
  const host = accused.join(', ') || '(no accused address found)';
  switch (v.verdict) {
    case 'compromise':
      notes.push(`Isolate ${host} (null-route or move to a quarantine VLAN) and open a ticket with the customer.`);
      notes.push('Ask the customer whether the traffic was a person (a scanner run on purpose) or malware; request process listing and crontab, and check for new accounts.');
      notes.push('Keep the evidence files: the customer may dispute the disconnection.');
      notes.push('The reply states only the actions chosen for it (--action filtered, isolated, customer-notified): choose them once they are taken.');
      break;
    case 'backscatter': {
      const imp = findings.find((f) => f.id === 'impossible-source');
      const reflected = findings.filter((f) => f.id === 'reflection-amplification' && typeof f.facts?.advice === 'string');
      if (imp) notes.push('The complaint names an address no one can route: the source is on the complainant\'s own segment; nothing to do on our side beyond replying.');
      // Our open service was the reflector: closing or rate-limiting it is ours to do, not SYN cookies.
      else if (reflected.length) for (const f of reflected) notes.push(`Reflection: ${String(f.facts!.advice)}.`);
      else notes.push(`No action on ${host}. Consider SYN cookies / rate limits on the flooded service and note the flood in the NOC log.`);
      break;
    }
    case 'legitimate':
      notes.push(`No action on ${host}. If the same reporter complains again, point them to this case.`);
      break;
    default:
      notes.push(`Inconclusive because: ${v.missing.join('; ') || 'the evidence is thin'}.`);
      notes.push('Ask the complainant for exact times with zone and full log lines; pull our own flow records or captures for the window before replying again.');
  }
  if (v.conflicting) notes.push('Evidence points both ways: review the findings by hand before sending.');
  for (const f of findings) {
    const macs = f.facts?.macs;
    if (Array.isArray(macs) && macs.length) notes.push(`Trace MAC address(es) ${macs.join(', ')} in the switch tables.`);
  }
  // The replays of sensors the complainant may not run: ours to read, not the complainant's (the reply explains their own sensor).
  for (const f of findings.filter((x) => x.detector === 'ids-replay')) notes.push(`Sensor replay (not in the reply): ${f.summary}`);
  if (c.attachments.length) notes.push(`${c.attachments.length} attachment(s) in the complaint were analysed as evidence.`);
  for (const w of warnings.slice(0, 10)) notes.push(`Warning: ${w}`);
  return notes;
}
