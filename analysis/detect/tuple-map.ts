/**
 * A map keyed by a packet's 5-tuple (protocol, source and port, destination
 * and port) without building a key string per packet. The sensor replays and
 * the whole-slice detectors look up every packet of a slice of up to a
 * million, once as sent and once reversed; a template-string key made two
 * strings per packet and hashed each of them.
 *
 * Levels: protocol (an array index), source text, destination text, then
 * the ports packed in one integer. Address texts come from the decoders'
 * caches, so their hashes are already computed.
 */
export class TupleMap<T> {
  private readonly byProto: Array<Map<string, Map<string, Map<number, T>>> | undefined> = [];
  /** Values in the order their tuples were first set, as a Map would give them. */
  private readonly order: T[] = [];

  get size(): number {
    return this.order.length;
  }

  get(proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined): T | undefined {
    return this.byProto[proto]?.get(src)?.get(dst)?.get(portsKey(sport, dport));
  }

  has(proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined): boolean {
    return this.get(proto, src, sport, dst, dport) !== undefined;
  }

  /** Sets a tuple not set before (values are changed in place, never replaced). */
  add(proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined, value: T): void {
    let bySrc = this.byProto[proto];
    if (bySrc === undefined) { bySrc = new Map(); this.byProto[proto] = bySrc; }
    let byDst = bySrc.get(src);
    if (byDst === undefined) { byDst = new Map(); bySrc.set(src, byDst); }
    let byPorts = byDst.get(dst);
    if (byPorts === undefined) { byPorts = new Map(); byDst.set(dst, byPorts); }
    const k = portsKey(sport, dport);
    if (byPorts.has(k)) throw new Error('TupleMap.add: the tuple is already set');
    byPorts.set(k, value);
    this.order.push(value);
  }

  /** Values in the order their tuples were first set. */
  values(): readonly T[] {
    return this.order;
  }
}

/**
 * Both ports in one number: a 32-bit integer (a small integer to V8, no
 * allocation) when both are known, and a fraction that no pair of ports can
 * equal when one is missing.
 */
function portsKey(sport: number | undefined, dport: number | undefined): number {
  if (sport === undefined || dport === undefined) return (sport ?? 65536) * 65537 + (dport ?? 65536) + 0.5;
  return (sport << 16) | dport;
}
