/** sfc32 (PractRand's small fast counter): fast, deterministic, well mixed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  constructor(seed: number) {
    this.a = seed; this.b = seed ^ 0x9e3779b9; this.c = seed ^ 0x85ebca6b;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  float(): number { return this.u32() / 4294967296; }
  int(n: number): number { return Math.floor(this.float() * n); }
  /** Exponentially distributed with the given mean. */
  exp(mean: number): number { return -Math.log(1 - this.float()) * mean; }
}

/**
 * murmur3's fmix32: a bijection on 32-bit integers, so distinct counters give
 * distinct outputs (used to draw millions of addresses that never repeat).
 */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Whether an IPv4 address looks like an ordinary Internet host: not 0/8,
 * 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10, multicast or
 * reserved, and none of the documentation ranges (TEST-NET-1..3), which the
 * shapes keep for our network and the complainants.
 */
export function isPublicUnicast(a: number): boolean {
  const first = a >>> 24;
  if (first === 0 || first === 10 || first === 127 || first >= 224) return false;
  const top16 = a >>> 16;
  if (top16 === 0xa9fe || top16 === 0xc0a8 || (a >>> 20) === 0xac1) return false;
  if ((a >>> 22) === (0x64400000 >>> 22)) return false;
  const top24 = a >>> 8;
  return top24 !== 0xc00002 && top24 !== 0xc63364 && top24 !== 0xcb0071;
}

/** A random public unicast address (may repeat across calls). */
export function internetAddr(rng: Rng): number {
  for (;;) {
    const a = rng.u32();
    if (isPublicUnicast(a)) return a;
  }
}

/** Dotted quad of a 32-bit address. */
export function dotted(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}
