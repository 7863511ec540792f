import { hostRoleFacts, inventoryContext } from '../triage/inventory';
import type { DetectContext, Detector, Finding } from './detector';

/**
 * What our inventory says the accused host is ("web server, 80 and 443"):
 * context for the reply and the operator, and the service ports that make
 * our packets answers rather than probes. The first look says the same from
 * the same facts (analysis/triage/checks/host-role.ts, hostRoleCheck).
 */
export const hostRole: Detector = {
  id: 'host-role',
  detect(ctx: DetectContext): Finding[] {
    if (!ctx.inventory?.length) return [];
    const findings: Finding[] = [];
    for (const address of ctx.accused) {
      const host = hostRoleFacts(inventoryContext(ctx.inventory, address));
      if (!host?.role) continue;
      findings.push({
        id: 'host-role',
        detector: 'host-role',
        leaning: 'context',
        strength: 0.3,
        summary: `Our inventory lists ${address} as ${host.role}${host.services.length ? ` serving ${host.services.join(', ')}` : ''}.`,
        evidence: [],
        facts: { address, role: host.role, servicePorts: host.servicePorts, match: host.match },
      });
    }
    return findings;
  },
};
