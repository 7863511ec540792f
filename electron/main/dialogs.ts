/** Native file dialogs for the contract's dialog:* and draft:save channels. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { LIMITS, type EvidenceRef } from '../common/contract';
import { CodedError } from '../common/result';
import type { Dialogs } from '../../host/handlers';
import type { FileHandles } from './file-handles';

const EVIDENCE_FILTERS = [
  { name: 'Captures and logs', extensions: ['pcap', 'pcapng', 'cap', 'dmp', 'log', 'txt', 'ra', 'argus', 'csv', 'json'] },
  { name: 'All files', extensions: ['*'] },
];

/** The save dialog for a case bundle (cases:export); null when cancelled. */
export async function chooseBundlePath(window: () => BrowserWindow | undefined, name: string): Promise<string | null> {
  const win = window();
  const opts = {
    title: 'Export case',
    defaultPath: join(app.getPath('documents'), name),
    filters: [{ name: 'Case bundle', extensions: ['tar'] }],
  };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** The chosen evidence goes to the window as handles (`handles`), never as paths. */
export function electronDialogs(window: () => BrowserWindow | undefined, handles: FileHandles): Dialogs {
  return {
    async openEvidence(): Promise<EvidenceRef[]> {
      const win = window();
      const opts = { title: 'Add evidence', properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters: EVIDENCE_FILTERS };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      if (r.canceled) return [];
      const refs: EvidenceRef[] = [];
      for (const path of r.filePaths.slice(0, LIMITS.evidenceFiles)) {
        const st = await stat(path);
        if (st.isFile()) refs.push({ ref: handles.register(path), name: basename(path), size: st.size });
      }
      return refs;
    },
    async openComplaint() {
      const win = window();
      const opts = {
        title: 'Open complaint', properties: ['openFile'] as Array<'openFile'>,
        filters: [{ name: 'Complaints', extensions: ['eml', 'txt', 'msg', 'arf'] }, { name: 'All files', extensions: ['*'] }],
      };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      if (r.canceled || !r.filePaths[0]) return null;
      const path = r.filePaths[0];
      const st = await stat(path);
      if (st.size > LIMITS.complaintChars) throw new CodedError('too_large', `${basename(path)} is larger than ${LIMITS.complaintChars} bytes`);
      return { name: basename(path), text: new TextDecoder().decode(await readFile(path)) };
    },
    async openMailboxes(kind) {
      const win = window();
      const opts = kind === 'folder'
        ? { title: 'Import a Maildir or a folder of .eml files', properties: ['openDirectory'] as Array<'openDirectory'> }
        : {
          title: 'Import mail (an mbox file or .eml messages)', properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>,
          filters: [{ name: 'Mail', extensions: ['mbox', 'mbx', 'eml', 'txt'] }, { name: 'All files', extensions: ['*'] }],
        };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? [] : r.filePaths.slice(0, LIMITS.intakeItems);
    },
    async saveDraft(file) {
      const win = window();
      const ext = file.fileName.split('.').pop() ?? 'txt';
      const opts = {
        title: 'Save reply',
        defaultPath: join(app.getPath('documents'), file.fileName),
        filters: [{ name: ext === 'eml' ? 'E-mail message' : 'Text', extensions: [ext] }],
      };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      if (r.canceled || !r.filePath) return { saved: false };
      await writeFile(r.filePath, file.content, 'utf8');
      return { saved: true, path: r.filePath };
    },
  };
}
