import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi } from '../fake-api';

describe('History\'s verdict badges', () => {
  it('an inconclusive case shows no percentage beside the word; a decided one keeps its confidence', async () => {
    const fake = new FakeApi();
    fake.addCase({ id: 1, verdict: 'inconclusive', confidence: 0.8 });
    fake.addCase({ id: 2, verdict: 'compromise', confidence: 0.95 });
    const app = new AppState(fake.api);
    render(App, { props: { app } });
    app.go('history');
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    const [second, first] = screen.getAllByTestId('history-row');
    expect(first.textContent).toContain('Inconclusive');
    expect(first.textContent).not.toMatch(/80\s*%/);
    expect(second.textContent).toContain('Compromise · 95%');
  });
});
