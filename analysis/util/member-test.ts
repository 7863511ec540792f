/**
 * A test of membership in a small, fixed set of addresses, asked for every
 * event. Up to four addresses (an accused host, its complainant, the ends of
 * a quoted line) are string comparisons; a Set would hash each event's
 * address first, and a forged source is a new string to hash at every
 * packet. Undefined is never a member.
 */
export function memberTest(values: Iterable<string>): (a: string | undefined) => boolean {
  const set = new Set(values);
  const list = [...set];
  if (list.length === 0) return () => false;
  if (list.length === 1) { const only = list[0]; return (a) => a === only; }
  if (list.length === 2) { const [x, y] = list; return (a) => a === x || a === y; }
  if (list.length <= 4) return (a) => a !== undefined && list.includes(a);
  return (a) => a !== undefined && set.has(a);
}
