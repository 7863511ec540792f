import { describe, expect, it } from 'vitest';
import { CASE_FIELD_LIMITS, caseTag, draftBody, draftSubject, noteBody, UNSAFE_CHARS } from '../../analysis/case-fields';

describe('what an operator may write into a case', () => {
  it('a tag is trimmed, 1 to 64 characters, without control or bidi-override characters', () => {
    expect(caseTag.parse('  repeat-offender ')).toBe('repeat-offender');
    expect(caseTag.safeParse('x'.repeat(CASE_FIELD_LIMITS.tagChars)).success).toBe(true);
    expect(caseTag.safeParse('x'.repeat(CASE_FIELD_LIMITS.tagChars + 1)).success).toBe(false);
    expect(caseTag.safeParse('   ').success).toBe(false);
    for (const bad of ['a\u0000b', 'esc\u001b[31m', 'rtl\u202eevil', 'iso\u2066x', 'del\u007f', 'c1\u009b']) {
      expect(caseTag.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(caseTag.safeParse('Ünïcödé ✓').success).toBe(true);
  });

  it('notes, subjects and drafts have their own limits; a draft may hold line breaks', () => {
    expect(noteBody.safeParse('').success).toBe(false);
    expect(noteBody.safeParse('x'.repeat(CASE_FIELD_LIMITS.noteChars + 1)).success).toBe(false);
    expect(draftSubject.safeParse('s'.repeat(998)).success).toBe(true);
    expect(draftSubject.safeParse('s'.repeat(999)).success).toBe(false);
    expect(draftBody.parse('Hello,\n\nline two\r\n')).toBe('Hello,\n\nline two\r\n');
    expect(UNSAFE_CHARS.test('tab\there')).toBe(true);
  });
});
