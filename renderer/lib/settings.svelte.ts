import { isAddressOrCidr } from '../../electron/common/address-syntax';
import { call } from './call';
import type { AbuseDeskApi, Settings } from './types';

export type Theme = Settings['theme'];

/** Parses "one CIDR a line (or comma separated)" into the list and the entries that are not addresses. */
export function parseNets(text: string): { nets: string[]; invalid: string[] } {
  const items = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  const nets = items.filter((s, i) => isAddressOrCidr(s) && items.indexOf(s) === i);
  return { nets, invalid: items.filter((s) => !isAddressOrCidr(s)) };
}

/** The operator's settings, loaded once and saved through settings:set. */
export class SettingsState {
  ourNets = $state<string[]>([]);
  theme = $state<Theme>('system');
  loaded = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly api: AbuseDeskApi) {}

  async load(): Promise<void> {
    try {
      const s = await call(this.api, 'settings:get', {});
      this.ourNets = s.ourNets;
      this.theme = s.theme;
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  async save(patch: Partial<Settings>): Promise<void> {
    const s = await call(this.api, 'settings:set', patch);
    this.ourNets = s.ourNets;
    this.theme = s.theme;
  }
}

/** Follows prefers-color-scheme unless the operator chose a theme. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
