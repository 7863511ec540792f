/**
 * Child process of reply-race.slow.test.ts: one operator's app. Opens the
 * shared store as OPERATOR, sends replies through the real ReplyService to
 * the SMTP server on PORT, and reads one JSON command a line on stdin:
 * {caseId, at} saves this operator's own draft for the case, waits until
 * `at` (ms since epoch, the same moment for both apps), sends it, and prints
 * {caseId, draftId, ok, code?, message?}. Prints {ready: true} first.
 */
import { createInterface } from 'node:readline';
import { ReplyService } from '../../../host/reply-service';
import { ReplySettingsStore } from '../../../host/reply-settings-store';
import { AesFileSecretBox } from '../../../host/secrets';
import { CaseStore } from '../../../store/case-store';

const [url, operator, port, settingsDir] = process.argv.slice(2);
const store = await CaseStore.open(url, { operator });
const service = new ReplyService({ settings: new ReplySettingsStore(settingsDir), smtpPassword: new AesFileSecretBox(settingsDir, 'smtp-password'), store: async () => store });
service.setSettings({ fromAddress: 'abuse@desk.example', signature: '', smtp: { host: '127.0.0.1', port: Number(port), security: 'plain', user: '', allowSelfSigned: false } });
const say = (o: object): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
say({ ready: true });

for await (const line of createInterface({ input: process.stdin })) {
  const { caseId, at } = JSON.parse(line) as { caseId: number; at: number };
  const draft = await store.saveDraft(caseId, { subject: 'Re: your report', body: `Reply written by ${operator}.`, origin: 'edited' });
  await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
  try {
    await service.send({ caseId, draftId: draft.id, subject: draft.subject, body: draft.body });
    say({ caseId, draftId: draft.id, ok: true });
  } catch (e) {
    say({ caseId, draftId: draft.id, ok: false, code: (e as { code?: string }).code, message: (e as Error).message });
  }
}
await store.close();
