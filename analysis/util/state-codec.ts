/**
 * Moves accumulator state (class instances, Maps, Sets, typed arrays, shared
 * references, cycles) across a structured clone, which keeps the data but
 * drops prototypes and refuses functions. A worker encodes the state of its
 * part of the evidence; the receiver revives it into a freshly started
 * instance of the same objects, so that
 *   - each class instance gets its prototype back (looked up by the key the
 *     encoder wrote, from one table both sides share),
 *   - functions (closures set up by constructors: a filter, a callback that
 *     reads `this`) stay those of the fresh instance, which is why the state
 *     is written into the fresh objects rather than into new ones (an object
 *     with no fresh counterpart, made while reading, is constructed anew),
 *   - an object reached by two paths stays one object.
 * Pure: no node:*, no Buffer.
 */

/** Class key -> constructor: every class whose instances an encoded state may hold. */
export type ClassTable = ReadonlyMap<string, abstract new (...args: never[]) => unknown>;

const CLASS = '\u0000class';
const MAP = '\u0000map';
const SET = '\u0000set';
const FN = '\u0000fn';

type Encoded = unknown;

export class StateCodecError extends Error {}

function isTyped(x: object): boolean {
  return ArrayBuffer.isView(x) || x instanceof ArrayBuffer;
}

/** Plain data for `root` that survives a structured clone. Throws StateCodecError on a class the table lacks. */
export function encodeState(root: unknown, classes: ClassTable): Encoded {
  const keyOf = new Map<unknown, string>();
  for (const [k, c] of classes) keyOf.set(c.prototype, k);
  const memo = new Map<object, Encoded>();
  const enc = (x: unknown, path: string): Encoded => {
    if (typeof x === 'function') return { [FN]: 1 };
    if (x === null || typeof x !== 'object') return x;
    const seen = memo.get(x);
    if (seen !== undefined) return seen;
    if (isTyped(x) || x instanceof Error || x instanceof Date || x instanceof RegExp) { memo.set(x, x); return x; }
    if (Array.isArray(x)) {
      const out: Encoded[] = new Array(x.length);
      memo.set(x, out);
      for (let i = 0; i < x.length; i++) out[i] = enc(x[i], path);
      return out;
    }
    if (x instanceof Map) {
      const entries: Encoded[] = [];
      const out = { [MAP]: entries };
      memo.set(x, out);
      for (const [k, v] of x) entries.push(enc(k, path), enc(v, path));
      return out;
    }
    if (x instanceof Set) {
      const items: Encoded[] = [];
      const out = { [SET]: items };
      memo.set(x, out);
      for (const v of x) items.push(enc(v, path));
      return out;
    }
    const proto = Object.getPrototypeOf(x) as object | null;
    const props: Record<string, Encoded> = {};
    let out: Record<string, Encoded> = props;
    if (proto !== Object.prototype && proto !== null) {
      const key = keyOf.get(proto);
      if (key === undefined) throw new StateCodecError(`no class table entry for ${(x as object).constructor?.name ?? '?'} at ${path}`);
      out = { [CLASS]: key, props };
    }
    memo.set(x, out);
    for (const k of Object.keys(x)) props[k] = enc((x as Record<string, unknown>)[k], `${path}.${k}`);
    return out;
  };
  return enc(root, '');
}

/**
 * A new instance to write state into: a class whose constructor takes no
 * argument is constructed, so that the closures its fields set up (a merge
 * function handed to a SampledMap) exist, bound to it; others are made from
 * the prototype alone, and their closures must then come from `fresh`.
 */
function blank(cls: abstract new (...args: never[]) => unknown): unknown {
  if (cls.length === 0) return new (cls as unknown as new () => unknown)();
  return Object.create(cls.prototype);
}

/**
 * Write the encoded state into `fresh` (a newly started instance of what was
 * encoded) and return it. Objects with no fresh counterpart (values added to
 * a Map while reading) are made from their class's prototype.
 */
export function reviveInto<T>(encoded: Encoded, fresh: T, classes: ClassTable): T {
  const memo = new Map<object, unknown>();
  const rev = (e: Encoded, f: unknown, path: string): unknown => {
    if (e === null || typeof e !== 'object') return e;
    const seen = memo.get(e);
    if (seen !== undefined) return seen;
    if (isTyped(e) || e instanceof Error || e instanceof Date || e instanceof RegExp) { memo.set(e, e); return e; }
    if (Array.isArray(e)) {
      const fa = Array.isArray(f) ? f : undefined;
      const out: unknown[] = fa ?? [];
      memo.set(e, out);
      const items = e.map((v, i) => rev(v, fa?.[i], path));
      out.length = 0;
      for (const v of items) out.push(v);
      return out;
    }
    const rec = e as Record<string, Encoded>;
    if (FN in rec) {
      if (typeof f !== 'function') throw new StateCodecError(`no function to keep at ${path}`);
      return f;
    }
    if (MAP in rec) {
      const fm = f instanceof Map ? f : undefined;
      const out = fm ?? new Map();
      memo.set(e, out);
      const flat = rec[MAP] as Encoded[];
      const pairs: Array<[unknown, unknown]> = [];
      for (let i = 0; i < flat.length; i += 2) {
        const k = rev(flat[i], undefined, path);
        pairs.push([k, rev(flat[i + 1], fm?.get(k), path)]);
      }
      out.clear();
      for (const [k, v] of pairs) out.set(k, v);
      return out;
    }
    if (SET in rec) {
      const out = f instanceof Set ? f : new Set();
      memo.set(e, out);
      const items = (rec[SET] as Encoded[]).map((v) => rev(v, undefined, path));
      out.clear();
      for (const v of items) out.add(v);
      return out;
    }
    let props = rec;
    let target: Record<string, unknown>;
    if (CLASS in rec) {
      const cls = classes.get(rec[CLASS] as string);
      if (!cls) throw new StateCodecError(`unknown class ${String(rec[CLASS])} at ${path}`);
      props = rec.props as Record<string, Encoded>;
      target = (f instanceof cls ? f : blank(cls)) as Record<string, unknown>;
    } else {
      target = f !== null && typeof f === 'object' && Object.getPrototypeOf(f) === Object.prototype ? (f as Record<string, unknown>) : {};
    }
    memo.set(e, target);
    for (const k of Object.keys(props)) target[k] = rev(props[k], target[k], `${path}.${k}`);
    return target;
  };
  return rev(encoded, fresh, '') as T;
}
