import fc from 'fast-check';

/**
 * Mutations that know mail structure, for damaging seed complaints the way
 * broken or hostile senders do: lying charsets and transfer encodings,
 * lost or duplicated MIME boundaries, multiparts nested absurdly deep,
 * header floods, junk in base64. Applied to the message as latin1 text
 * (bytes 1:1).
 */
export type MailMutation =
  | { kind: 'charset'; at: number; to: string }
  | { kind: 'cte'; at: number; to: string }
  | { kind: 'drop-delimiter'; at: number }
  | { kind: 'duplicate-delimiter'; at: number }
  | { kind: 'nest'; depth: number }
  | { kind: 'header-flood'; count: number }
  | { kind: 'long-header'; length: number }
  | { kind: 'binary-header'; bytes: number[] }
  | { kind: 'base64-junk'; at: number; junk: string };

export const mailMutation: fc.Arbitrary<MailMutation> = fc.oneof(
  fc.record({ kind: fc.constant('charset' as const), at: fc.nat(), to: fc.constantFrom('utf-8', 'iso-8859-1', 'utf-16', 'utf-16be', 'utf-7', 'iso-2022-jp', 'gb18030', 'x-unknown', '', '"', 'ks_c_5601-1987', 'unicode-1-1-utf-7') }),
  fc.record({ kind: fc.constant('cte' as const), at: fc.nat(), to: fc.constantFrom('base64', 'quoted-printable', '7bit', '8bit', 'binary', 'x-uuencode', 'garbage', '') }),
  fc.record({ kind: fc.constant('drop-delimiter' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-delimiter' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('header-flood' as const), count: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('long-header' as const), length: fc.integer({ min: 1000, max: 200_000 }) }),
  fc.record({ kind: fc.constant('binary-header' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('base64-junk' as const), at: fc.nat(), junk: fc.string({ unit: fc.constantFrom(...'!*#~%-=\x00\xff @'), minLength: 1, maxLength: 8 }) }),
);

function nth<T>(list: T[], at: number): T | undefined {
  return list.length === 0 ? undefined : list[at % list.length];
}

/** Offsets of every match of `re` (global) in `s`. */
function matches(s: string, re: RegExp): RegExpExecArray[] {
  return [...s.matchAll(re)];
}

export function mutateMail(input: Uint8Array, ms: MailMutation[]): Uint8Array {
  let s = Buffer.from(input).toString('latin1');
  const eol = s.includes('\r\n') ? '\r\n' : '\n';
  const headerEnd = (): number => { const i = s.indexOf(`${eol}${eol}`); return i < 0 ? s.length : i; };
  for (const m of ms) {
    switch (m.kind) {
      case 'charset': {
        const hit = nth(matches(s, /charset\s*=\s*("?)[^";\s]*\1/gi), m.at);
        if (hit) s = `${s.slice(0, hit.index)}charset="${m.to}"${s.slice(hit.index + hit[0].length)}`;
        break;
      }
      case 'cte': {
        const hit = nth(matches(s, /^(Content-Transfer-Encoding:[ \t]*)\S*/gim), m.at);
        if (hit) s = `${s.slice(0, hit.index)}${hit[1]}${m.to}${s.slice(hit.index + hit[0].length)}`;
        break;
      }
      case 'drop-delimiter':
      case 'duplicate-delimiter': {
        const hit = nth(matches(s, /^--[^\r\n]+\r?\n/gm), m.at);
        if (hit) s = `${s.slice(0, hit.index)}${m.kind === 'duplicate-delimiter' ? hit[0] + hit[0] : ''}${s.slice(hit.index + hit[0].length)}`;
        break;
      }
      case 'nest': {
        // The original body and its content headers become the innermost part of `depth` multiparts.
        const end = headerEnd();
        const head = s.slice(0, end).split(eol);
        const content = head.filter((l) => /^content-/i.test(l));
        const rest = head.filter((l) => !/^content-/i.test(l));
        let body = `${content.join(eol)}${s.slice(end)}`;
        for (let d = m.depth; d >= 1; d--) {
          body = `Content-Type: multipart/mixed; boundary="nest-${d}"${eol}${eol}--nest-${d}${eol}${body}${eol}--nest-${d}--${eol}`;
        }
        s = `${rest.join(eol)}${eol}${body}`;
        break;
      }
      case 'header-flood': {
        const lines = Array.from({ length: m.count }, (_, i) => `X-Flood-${i}: ${'x'.repeat(i % 50)}`);
        s = `${lines.join(eol)}${eol}${s}`;
        break;
      }
      case 'long-header':
        s = `X-Long: ${'y'.repeat(m.length)}${eol}${s}`;
        break;
      case 'binary-header':
        s = `X-Binary: ${String.fromCharCode(...m.bytes)}${eol}${s}`;
        break;
      case 'base64-junk': {
        const hit = nth(matches(s, /^[A-Za-z0-9+/]{40,}=*$/gm), m.at);
        if (hit) {
          const cut = hit.index + (m.at % hit[0].length);
          s = `${s.slice(0, cut)}${m.junk}${s.slice(cut)}`;
        }
        break;
      }
    }
  }
  return Buffer.from(s, 'latin1');
}
