import type { Finding } from '../../detect/detector';
import { ref } from '../../detect/excerpt';
import { AUTH_PORTS } from '../../detect/brute-force';
import type { TriageCheck, TriageContext } from '../context';

/** Words that describe self-spreading code. */
const WORM_WORDS = /\b(worm|virus|infect(?:ed|ion)?|malware|botnet|bot|trojan|propagat\w*|spreading|backdoor|c&c|c2)\b/i;
/** Log lines that report failed logins. */
const LOGIN_FAILURE = /(Failed password|Invalid user|authentication failure|Failed publickey|maximum authentication attempts|\bBan\b|login failed)/i;

/**
 * What the complainant says our host did, when nothing shows it was
 * answering: worm behaviour (a fixed odd source port like seed 003's 770),
 * password guessing, spam or scanning FROM our host are what a compromised
 * machine does. Weak on its own: the complaint is a claim, not evidence.
 */
export const claimedActivity: TriageCheck = {
  id: 'claimed-activity',
  check(ctx: TriageContext): Finding[] {
    const c = ctx.complaint;
    const out: Finding[] = [];
    for (const addr of ctx.accused) {
      const lines = ctx.fromAccused.filter((e) => e.src === addr);
      const answering = ctx.sourcePorts.some((p) => ctx.isServicePort(addr, p));
      if (answering) continue;
      const base = { detector: 'first-look/claimed-activity', evidence: lines.slice(0, 8).map(ref) };
      const oddPorts = ctx.sourcePorts.filter((p) => !ctx.isServicePort(addr, p));
      const text = `${c.subject ?? ''}\n${c.text}`;
      if (c.activity === 'worm' || WORM_WORDS.test(text)) {
        out.push({
          ...base, id: 'first-look-claimed-worm', leaning: 'compromise', strength: oddPorts.length ? 0.6 : 0.5,
          summary: `The complaint describes worm-like traffic from ${addr}${oddPorts.length ? ` with source port ${oddPorts.join(', ')}, which is no service we run: a fixed, odd source port is a tool's or a worm's signature` : ''}.`,
          facts: { address: addr, activity: c.activity, sourcePorts: oddPorts },
        });
        continue;
      }
      if (c.activity === 'brute-force') {
        const logins = c.quotedEvents.filter((e) => LOGIN_FAILURE.test(e.raw ?? e.message ?? '')).length;
        const ports = [...new Set([...c.ports.destination, ...lines.map((e) => e.dport).filter((p): p is number => p !== undefined)])].filter((p) => AUTH_PORTS.has(p));
        out.push({
          ...base, id: 'first-look-claimed-brute-force', leaning: 'compromise', strength: logins >= 5 ? 0.55 : 0.5,
          summary: `The complaint reports password guessing from ${addr}${ports.length ? ` against ${ports.map((p) => `${AUTH_PORTS.get(p)} (${p})`).join(', ')}` : ''}${logins ? `, with ${logins} failed-login lines of their own` : ''}: our host acting as a client of their login service, which is what a compromised machine does.`,
          facts: { address: addr, loginFailures: logins, ports },
        });
        continue;
      }
      const strength = c.activity === 'spam' ? 0.4 : c.activity === 'port-scan' || c.activity === 'sweep' ? 0.35 : c.activity === 'flood' ? 0.3 : 0;
      if (strength > 0) {
        out.push({
          ...base, id: `first-look-claimed-${c.activity}`, leaning: 'compromise', strength,
          summary: `The complaint reports ${c.activity.replace('-', ' ')} from ${addr}${oddPorts.length ? ` from source port ${oddPorts.join(', ')}, not a service port` : ''}, and nothing in it shows our host merely answering.`,
          facts: { address: addr, activity: c.activity },
        });
      }
    }
    return out;
  },
};
