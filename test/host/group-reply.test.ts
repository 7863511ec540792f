import { describe, expect, it } from 'vitest';
import { previewGroupReply } from '../../host/group-reply';
import { useTempStore } from '../store/store-fixture';

describe('the group reply preview', () => {
  const t = useTempStore();

  it('fills the template for each case as the store would save it, and hands on only what the window shows', async () => {
    const a = await t.addCase({ accused: ['198.51.100.80'], reporter: 'abuse@example.net', verdict: 'backscatter' });
    const b = await t.addCase({ accused: ['198.51.100.80'], reporter: 'noc@example.org', verdict: 'backscatter' });
    const template = { subject: 'Re: {subject}', body: 'Dear {reporter}, about {accused}.' };
    const previews = await previewGroupReply(t.store, [a, b], template);
    const fromStore = await t.store.previewGroupReply([a, b], template);
    expect(previews).toEqual(fromStore.map(({ caseId, subject, body, to }) => ({ caseId, subject, body, to })));
    expect(previews.map((p) => p.caseId)).toEqual([a, b]);
    expect(previews.every((p) => p.body.includes('198.51.100.80') && !p.body.includes('{'))).toBe(true);
    expect(Object.keys(previews[0]).sort()).toEqual(['body', 'caseId', 'subject', 'to']);
  });
});
