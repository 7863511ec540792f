/**
 * What the numbers in tshark's conversation tables stand for, so a test can
 * compare our exact values with them exactly: the same double arithmetic and
 * the same C printf rounding (ui/cli/tap-iousers.c, wsutil/str_util.c
 * format_size), instead of a tolerance.
 */

const NS_PER_S = 1_000_000_000n;

/** nstime_to_sec(): seconds and nanoseconds as two doubles, added (both truncated toward zero, as nstime_t holds them). */
export function nstimeToSec(ns: bigint): number {
  return Number(ns / NS_PER_S) + Number(ns % NS_PER_S) / 1e9;
}

/**
 * printf("%.Nf", x) as glibc prints it: the exact binary value of the double,
 * rounded half to even (the default rounding mode) at N decimals.
 */
export function printfFixed(x: number, digits: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (biased === 0x7ff) throw new Error(`not a finite number: ${x}`);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075;
  let num = mantissa * 10n ** BigInt(digits);
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  const s = q.toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** A decimal as printed ("-0.0312", "12.000000001") in units of its last digit, for ordering. */
export function decimalUnits(text: string): bigint {
  return BigInt(text.replace('.', ''));
}

/**
 * The byte counts a printed size stands for: format_size(FORMAT_SIZE_UNIT_BYTES,
 * SI prefixes) prints whole bytes below 10,000, then whole kB (truncated) below
 * 10,000 kB, then MB, GB, TB the same way. Returns [lowest, highest].
 */
export function sizeRange(text: string): [number, number] {
  const m = /^(\d+) (bytes|kB|MB|GB|TB)$/.exec(text);
  if (!m) throw new Error(`not a tshark size: ${text}`);
  const n = Number(m[1]);
  const unit = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2] as 'bytes']!;
  return [n * unit, n * unit + unit - 1];
}

/** format_size() of an exact byte count, to show a mismatch in tshark's own terms. */
export function formatSize(bytes: number): string {
  for (const [unit, name] of [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']] as const) {
    if (Math.floor(bytes / unit) >= 10) return `${Math.floor(bytes / unit)} ${name}`;
  }
  return `${bytes} bytes`;
}
