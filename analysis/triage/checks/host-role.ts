import type { Finding } from '../../detect/detector';
import { protoWord, type TriageCheck, type TriageContext } from '../context';
import { hostRoleFacts } from '../inventory';

/** Roles whose hosts we do not run ourselves: a compromise there is the customer's. */
export const CUSTOMER_ROLE = /\b(customer|client|tenant|vps|dsl|cable|dynamic|dial-?up|residential|subscriber|workstation|desktop|laptop|guest|student)\b/i;

/**
 * What the inventory says the accused host is. When the complained traffic
 * comes from a port the host serves, that is its job; when it comes from
 * a host we do not run (a customer's), compromise is more plausible.
 * The full analysis states the role from the same facts (detect/host-role.ts).
 */
export const hostRoleCheck: TriageCheck = {
  id: 'host-role',
  check(ctx: TriageContext): Finding[] {
    if (!ctx.inventory.length) return [];
    const out: Finding[] = [];
    for (const addr of ctx.accused) {
      const h = ctx.host(addr);
      const base = { detector: 'first-look/host-role', evidence: [] };
      const role = hostRoleFacts(h);
      if (!role) {
        out.push({ ...base, id: 'first-look-host-unknown', leaning: 'context', strength: 0, summary: `${addr} is not in our inventory: its role is unknown.`, facts: { address: addr } });
        continue;
      }
      out.push({
        ...base, id: 'first-look-host-role', leaning: 'context', strength: 0,
        summary: `Inventory: ${addr} is our ${role.role}${role.services.length ? ` (serves ${role.services.join(', ')})` : ''}, entry ${role.match}.`,
        facts: { address: addr, role: role.role, servicePorts: role.servicePorts, match: role.match },
      });
      const lines = ctx.fromAccused.filter((e) => e.src === addr);
      const stated = ctx.complaint.protocol === 'tcp' || ctx.complaint.protocol === 'udp' ? ctx.complaint.protocol : undefined;
      const sports = ctx.sourcePorts.map((p) => ({ port: p, proto: protoWord(lines.find((e) => e.sport === p)?.proto) ?? stated }));
      const served = sports.filter((s) => h.serves(s.port, s.proto));
      if (served.length && served.length === sports.length) {
        out.push({
          ...base, id: 'first-look-host-serves-port', leaning: 'legitimate', strength: 0.4,
          summary: `The complained traffic comes from port ${served.map((s) => s.port).join(', ')}, which the inventory says our ${role.role} ${addr} serves: it is doing its job.`,
          facts: { address: addr, role: role.role, ports: served.map((s) => s.port) },
        });
      } else if (sports.length && !served.length && sports.some((s) => s.port < 1024)) {
        out.push({
          ...base, id: 'first-look-host-unlisted-port', leaning: 'compromise', strength: 0.25,
          summary: `Source port ${sports.map((s) => s.port).join(', ')} is not a service the inventory lists for our ${role.role} ${addr}.`,
          facts: { address: addr, role: role.role, ports: sports.map((s) => s.port) },
        });
      }
      if (CUSTOMER_ROLE.test(role.role)) {
        out.push({
          ...base, id: 'first-look-customer-host', leaning: 'compromise', strength: 0.2,
          summary: `${addr} is a ${role.role}: a machine we do not manage, where an infection or abuse is plausible.`,
          facts: { address: addr, role: role.role },
        });
      }
    }
    return out;
  },
};
