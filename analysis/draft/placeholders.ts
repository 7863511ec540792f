/**
 * The one table of placeholders a reply template may use: the group reply's
 * editor (its buttons), the stored templates of Settings (their validation
 * on save and their help text) and the filler in group-reply.ts all read it,
 * so a placeholder one of them knows is known to all.
 *
 * Pure: no store, DOM or Node types.
 */

export interface Placeholder {
  /** The name between the braces. */
  name: string;
  /** What it is filled with, for the operator. */
  says: string;
}

export const PLACEHOLDERS: readonly Placeholder[] = [
  { name: 'greeting', says: '"Dear <reporter>," or "Hello," when the reporter gave no name' },
  { name: 'reporter', says: 'the reporter\'s name ("you" when they gave none)' },
  { name: 'complainant', says: 'the reporter\'s name and address as the complaint gives them' },
  { name: 'accused', says: 'our address the complaint is about' },
  { name: 'customer', says: 'our customer using that address (customer list); a line with it is left out when none is known' },
  { name: 'report', says: 'what was reported, in words ("a port scan from 192.0.2.1")' },
  { name: 'subject', says: 'the complaint\'s subject' },
  { name: 'times', says: 'the times the complaint gives, in UTC' },
  { name: 'quoted_lines', says: 'the log lines the complaint quotes' },
  { name: 'findings', says: 'what our analysis found, one line each (left out before an analysis)' },
  { name: 'evidence', says: 'the records that prove it: time, record, file and packet or line (left out before an analysis)' },
  { name: 'case', says: 'our case number' },
  { name: 'signature', says: 'the signature from Settings → Replies ("Abuse desk" when none is set)' },
];

const KNOWN = new Set(PLACEHOLDERS.map((p) => p.name));

/** "{greeting}", "{reporter}", …: the placeholders as they are written in a template. */
export const PLACEHOLDER_TOKENS: readonly string[] = PLACEHOLDERS.map((p) => `{${p.name}}`);

/** A token a template author meant as a placeholder: braces around one word (no spaces, no nested braces). */
const TOKEN = /\{([^{}\s]{1,64})\}/g;

/**
 * The placeholders in `text` that the filler does not know, as written
 * ("{custmer}"), each once, in the order they first appear. Braces around
 * prose ("{ see below }") are not placeholders and are left alone.
 */
export function unknownPlaceholders(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    if (!KNOWN.has(m[1]) && !out.includes(token)) out.push(token);
  }
  return out;
}

/** The message an operator reads when a template names placeholders that do not exist. */
export function unknownPlaceholderMessage(unknown: string[]): string {
  const known = PLACEHOLDER_TOKENS.join(' ');
  return `unknown placeholder${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (known: ${known})`;
}
