/**
 * A pasted complaint turned into the mail a complainant in Central European
 * Time would send: a Date: header at +0100 shortly after the traffic, and
 * every time in the body written in CET (ISO times marked "CET", syslog
 * stamps shifted one hour, as a syslog running in CET writes them).
 */
export const CET_MINUTES = 60;
const HOUR_MS = CET_MINUTES * 60_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** The wall-clock fields of an instant in CET (a Date shifted by the offset, read with getUTC*). */
function cet(ms: number): Date {
  return new Date(ms + HOUR_MS);
}

export function asCetEml(text: string, firstPacketUs: number): Uint8Array {
  const year = new Date(firstPacketUs / 1000).getUTCFullYear();
  const subject = /^Subject: (.*)$/m.exec(text)?.[1] ?? 'abuse report';
  let body = text.replace(/^Subject: .*\n/m, '');
  // "2025-12-18 00:40 UTC" -> "2025-12-18 01:40 CET".
  body = body.replace(/\b(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(:\d\d)? UTC\b/g, (_m, y, mo, d, h, mi, sec: string | undefined) => {
    const c = cet(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), sec ? Number(sec.slice(1)) : 0));
    return `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())} ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}${sec ? `:${pad(c.getUTCSeconds())}` : ''} CET`;
  });
  // Syslog "Feb  1 23:00:01" at the start of a line (no zone, no year) -> "Feb  2 00:00:01".
  body = body.replace(/^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)/gm, (_m, mon: string, d: string, h, mi, sec) => {
    const c = cet(Date.UTC(year, MONTHS.indexOf(mon), Number(d.trim()), Number(h), Number(mi), Number(sec)));
    return `${MONTHS[c.getUTCMonth()]} ${String(c.getUTCDate()).padStart(2, ' ')} ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`;
  });
  const sent = cet(firstPacketUs / 1000 + 20 * 60_000);
  const date = `${DAYS[sent.getUTCDay()]}, ${pad(sent.getUTCDate())} ${MONTHS[sent.getUTCMonth()]} ${sent.getUTCFullYear()} `
    + `${pad(sent.getUTCHours())}:${pad(sent.getUTCMinutes())}:${pad(sent.getUTCSeconds())} +0100`;
  return new TextEncoder().encode(
    `From: IDS Admin <ids@complainant.example>\r\nTo: abuse@our-isp.example\r\nSubject: ${subject}\r\nDate: ${date}\r\n`
    + `Message-ID: <x1@complainant.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, '\r\n')}`,
  );
}
