/** The application menu; file items become `onMenuCommand` events for the renderer. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../common/events';

export function buildMenu(send: (c: MenuCommand) => void, dev: boolean): Menu {
  const cmd = (label: string, command: MenuCommand['command'], accelerator?: string): MenuItemConstructorOptions =>
    ({ label, accelerator, click: () => send({ command }) });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        cmd('&New Case', 'newCase', 'CmdOrCtrl+N'),
        cmd('&Open Complaint…', 'openComplaint', 'CmdOrCtrl+O'),
        cmd('Add &Evidence…', 'openEvidence', 'CmdOrCtrl+E'),
        { type: 'separator' },
        cmd('&Save Reply…', 'saveDraft', 'CmdOrCtrl+S'),
        { type: 'separator' },
        cmd('Se&ttings…', 'settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `Abuse Desk ${app.getVersion()}`, enabled: false }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
