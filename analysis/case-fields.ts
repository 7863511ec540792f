/**
 * The checks on what an operator (or a bundle) writes into a case, declared
 * once: the contract's request schemas and the store's bundle import both
 * use these, so a tag refused in the app is refused in a bundle too. Pure
 * zod, so every layer may import it.
 */
import { z } from 'zod';

export const CASE_FIELD_LIMITS = {
  tagChars: 64,
  noteChars: 64 * 1024,
  draftChars: 2 * 1024 * 1024,
  /** RFC 5322's line limit, for a Subject. */
  subjectChars: 998,
} as const;

/**
 * C0 and C1 controls (NUL, ESC, DEL, CSI…), and the bidirectional overrides
 * and isolates that reorder what a terminal or a list shows.
 */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const safe = (s: string): boolean => !UNSAFE_CHARS.test(s);

/** A tag: trimmed, 1–64 characters, no control or bidi-override character. */
export const caseTag = z.string().trim().min(1).max(CASE_FIELD_LIMITS.tagChars)
  .refine(safe, { message: 'control characters in a tag' });

/** A note's text. */
export const noteBody = z.string().trim().min(1).max(CASE_FIELD_LIMITS.noteChars);

/** A draft's Subject (the reply is composed by the host, which strips what a header cannot hold). */
export const draftSubject = z.string().max(CASE_FIELD_LIMITS.subjectChars);

/** A draft's body (line breaks allowed). */
export const draftBody = z.string().max(CASE_FIELD_LIMITS.draftChars);
