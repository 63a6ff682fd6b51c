import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { waitReady } from './harness';

/**
 * The Service level KPIs of the Asterisk fixture Master.csv, hand-computed in
 * tests/unit/service-metrics.test.ts: 6 calls, 2 of 6 within 20 s, ASA 15 s, AHT 200 s, 2 of 6 abandoned.
 */
export async function expectMasterKpis(page: Page): Promise<void> {
	const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
	await waitReady(page);
	await expect.poll(() => kpi('volume').textContent()).toBe('6');
	expect(await kpi('sl').textContent()).toBe('33%');
	expect(await kpi('asa').textContent()).toBe('15秒');
	expect(await kpi('aht').textContent()).toBe('3分20秒');
	expect(await kpi('abandon').textContent()).toBe('33%');
}
