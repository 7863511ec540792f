/** Keyboard shortcuts: one table, used by the key handler, the help panel and the buttons' hints. */

export type ShortcutAction =
  | 'focus-complaint'
  | 'attach'
  | 'analyse'
  | 'copy-reply'
  | 'save-draft'
  | 'view-new'
  | 'view-analysis'
  | 'view-result'
  | 'view-draft'
  | 'view-history'
  | 'view-queue'
  | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** As shown to the operator. */
  keys: string[];
  description: string;
  /** Works while typing in a text field. */
  inFields: boolean;
  match(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Ctrl on Linux and Windows, Cmd on macOS. */
const mod = (e: KeyLike) => e.ctrlKey || e.metaKey;

export const SHORTCUTS: Shortcut[] = [
  {
    action: 'focus-complaint', keys: ['Alt', 'P'], description: 'Focus the complaint paste area', inFields: true,
    match: (e) => e.altKey && !mod(e) && !e.shiftKey && e.code === 'KeyP',
  },
  {
    action: 'attach', keys: ['Ctrl', 'O'], description: 'Attach evidence files', inFields: true,
    match: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'o',
  },
  {
    action: 'analyse', keys: ['Ctrl', 'Enter'], description: 'Analyse the case', inFields: true,
    match: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key === 'Enter',
  },
  {
    action: 'copy-reply', keys: ['Ctrl', 'Shift', 'C'], description: 'Copy the reply to the clipboard', inFields: true,
    match: (e) => mod(e) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'c',
  },
  {
    action: 'save-draft', keys: ['Ctrl', 'S'], description: 'Save the reply as .eml', inFields: true,
    match: (e) => mod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's',
  },
  { action: 'view-new', keys: ['Alt', '1'], description: 'Go to New case', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit1' },
  { action: 'view-analysis', keys: ['Alt', '2'], description: 'Go to Analysis', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit2' },
  { action: 'view-result', keys: ['Alt', '3'], description: 'Go to Result', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit3' },
  { action: 'view-draft', keys: ['Alt', '4'], description: 'Go to Reply draft', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit4' },
  { action: 'view-history', keys: ['Alt', '5'], description: 'Go to History (then j/k or arrows, Home/End, PgUp/PgDn; Enter opens, / searches)', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit5' },
  { action: 'view-queue', keys: ['Alt', '6'], description: 'Go to the Queue (then j/k, Home/End, PgUp/PgDn; Enter opens, a analyse, r reply, c close, x select)', inFields: true, match: (e) => e.altKey && !mod(e) && e.code === 'Digit6' },
  {
    action: 'help', keys: ['?'], description: 'Show keyboard shortcuts', inFields: false,
    match: (e) => e.key === '?' && !mod(e) && !e.altKey,
  },
];

function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable
    || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'file'].includes((el as HTMLInputElement).type));
}

/** The action a key press asks for, or null. */
export function shortcutFor(e: KeyLike & { target?: EventTarget | null }): ShortcutAction | null {
  const typing = isTextField(e.target ?? null);
  for (const s of SHORTCUTS) {
    if (s.match(e) && (s.inFields || !typing)) return s.action;
  }
  return null;
}

export function keysOf(action: ShortcutAction): string[] {
  return SHORTCUTS.find((s) => s.action === action)?.keys ?? [];
}
