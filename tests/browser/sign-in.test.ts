import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '$lib/synthetic/generate';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { hashPassword } from '$lib/server/auth/password-hash';
import { emptyUsersFile, withUser } from '$lib/server/auth/users-file';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { CHROMIUM } from './harness';

/**
 * `serve --users`: the page asks for a sign-in, shows the user's datasets only once signed in
 * (on the page they opened), says who is signed in, and signs out.
 */
const PASSWORD = 'ana-password-1';
let dir: string;
let server: Running;
let browser: Browser;
/** North's calls, as generated (the file holds them all: the KPI counts them). */
let northCalls: number;
const errors: string[] = [];

beforeAll(async () => {
	if (!existsSync('build/index.html')) throw new Error('build/ is missing: run `npm run build` first.');
	dir = mkdtempSync(join(tmpdir(), 'holdline-sign-in-page-'));
	const store = join(dir, 'store.duckdb');
	const writer = await openStore(store, { readOnly: false });
	const options = (files: string[]) => importSettings({ 'utc-offset': '0' }, files);
	for (const [name, seed] of [
		['north', 31],
		['south', 32]
	] as const) {
		const file = join(dir, `${name}.csv`);
		const generated = generateFile({ rows: 800, seed, start: '2024-03-04', incident: null, completeShare: 0.6 }, 'csv');
		if (name === 'north') northCalls = generated.calls.length;
		writeFileSync(file, generated.text);
		await loadIntoStore(writer.engine, [file], name, (files, table) => importFromDisk(writer.engine, options(files), table));
	}
	writer.close();
	const parameters = { N: 1024, r: 8, p: 1, keylen: 64 };
	const users = withUser(emptyUsersFile(parameters), { name: 'ana', ...(await hashPassword(PASSWORD, parameters)), datasets: ['north'], unmask: false });
	server = await startServer({ engine: `duckdb:${store}`, app: 'build', host: '127.0.0.1', port: 0, signIn: { users } });
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

const digits = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

describe('the Service level page on a server with sign-in', () => {
	it('asks for a sign-in, then shows the user’s datasets on the page they opened, says who is signed in, and signs out', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		page.on('pageerror', (error) => errors.push(error.message));
		const address = `${server.url}/service`;
		await page.goto(address);
		await page.getByTestId('signin-form').waitFor();
		expect(await page.locator('h1').textContent()).toBe('登录');

		await page.getByTestId('signin-name').fill('ana');
		await page.getByTestId('signin-password').fill('not-her-password');
		await page.getByTestId('signin-submit').click();
		await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe('用户名或密码不正确。');

		await page.getByTestId('signin-password').fill(PASSWORD);
		await page.getByTestId('signin-submit').click();
		await expect.poll(() => page.getByTestId('session-user').textContent()).toBe('已登录：ana');
		expect(new URL(page.url()).pathname).toBe('/service');
		await expect.poll(() => page.getByTestId('dataset-select').locator('option:checked').textContent()).toContain('north');
		// Ana's one dataset; south is not listed.
		expect(await page.getByTestId('dataset-select').locator('option[value^="ds_"]').count()).toBe(1);
		await expect.poll(async () => digits(await page.getByTestId('kpi-volume').textContent())).toBe(northCalls);

		// The session is the browser's cookie: a reload stays signed in.
		await page.reload();
		await expect.poll(() => page.getByTestId('session-user').textContent()).toBe('已登录：ana');
		await expect.poll(async () => digits(await page.getByTestId('kpi-volume').textContent())).toBe(northCalls);

		await page.getByTestId('signout').click();
		await page.getByTestId('signin-form').waitFor();
		expect(await page.getByTestId('session-user').count()).toBe(0);
		expect(await page.evaluate(() => fetch('/api/datasets').then((r) => r.status))).toBe(401);
		expect(errors).toEqual([]);
		await page.close();
	});
});
