import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// tests/tools/system-packages.mjs, the first step of `npm test`, run on fake machines
// (HOLDLINE_SYSTEM_ROOT) whose stub apt-get only records how it was called.
const SCRIPT = resolve('tests/tools/system-packages.mjs');
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const stub = (path: string, body: string) => {
	writeFileSync(path, `#!/bin/sh\n${body}\n`);
	chmodSync(path, 0o755);
};
const CHROMIUM = 'exit 0';
const FC_LIST = "echo 'Noto Sans CJK SC,Noto Sans CJK SC Regular'";

/** A fake / holding apt-get (recording each call in apt.log) and the given programs in usr/bin. */
function fakeRoot(programs: { chromium?: boolean; fcList?: boolean; clickhouse?: boolean } = {}) {
	const root = mkdtempSync(join(tmpdir(), 'holdline-system-'));
	roots.push(root);
	mkdirSync(join(root, 'usr/bin'), { recursive: true });
	mkdirSync(join(root, 'usr/sbin'), { recursive: true });
	mkdirSync(join(root, 'log'));
	chmodSync(root, 0o755);
	chmodSync(join(root, 'log'), 0o777); // writable by whoever runs the stub
	const bin = join(root, 'usr/bin');
	// On "install", the stub puts the programs in place, as the real packages would.
	stub(
		join(bin, 'apt-get'),
		[
			`echo "$DEBIAN_FRONTEND $*" >> '${root}/log/apt.log'`,
			// Records whether services were kept from starting, as a package's postinst would ask.
			`if [ -x '${root}/usr/sbin/policy-rc.d' ]; then '${root}/usr/sbin/policy-rc.d'; echo "policy $?" >> '${root}/log/apt.log'; fi`,
			`if [ "$1" = install ]; then`,
			`  printf '#!/bin/sh\\n${CHROMIUM}\\n' > '${bin}/chromium'; chmod 755 '${bin}/chromium'`,
			`  printf '#!/bin/sh\\n%s\\n' "${FC_LIST}" > '${bin}/fc-list'; chmod 755 '${bin}/fc-list'`,
			`  printf '#!/bin/sh\\nexit 0\\n' > '${root}/usr/sbin/clickhouse-server'; chmod 755 '${root}/usr/sbin/clickhouse-server'`,
			`  mkdir -p '${root}/usr/share/java'; : > '${root}/usr/share/java/zookeeper.jar'`,
			`fi`
		].join('\n')
	);
	if (programs.chromium) stub(join(bin, 'chromium'), CHROMIUM);
	if (programs.fcList) stub(join(bin, 'fc-list'), FC_LIST);
	if (programs.clickhouse) {
		stub(join(root, 'usr/sbin/clickhouse-server'), 'exit 0');
		mkdirSync(join(root, 'usr/share/java'), { recursive: true });
		writeFileSync(join(root, 'usr/share/java/zookeeper.jar'), '');
	}
	const aptCalls = () => (existsSync(join(root, 'log/apt.log')) ? readFileSync(join(root, 'log/apt.log'), 'utf8').trim().split('\n') : []);
	return { root, aptCalls };
}

/** Runs the script against a fake root, as nobody when asUser and this process is root. */
function check(root: string, { asUser = false, chromiumPath }: { asUser?: boolean; chromiumPath?: string } = {}) {
	const env: NodeJS.ProcessEnv = { ...process.env, HOLDLINE_SYSTEM_ROOT: root };
	delete env.CHROMIUM_PATH;
	if (chromiumPath) env.CHROMIUM_PATH = chromiumPath;
	const [cmd, ...args] =
		asUser && isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, SCRIPT] : [process.execPath, SCRIPT];
	const run = spawnSync(cmd!, args, { env, cwd: root, encoding: 'utf8', timeout: 20_000 });
	return { status: run.status, signal: run.signal, output: run.stdout + run.stderr };
}

describe('npm test: system packages (tests/tools/system-packages.mjs)', () => {
	it.skipIf(isRoot && !hasSetpriv)('stops at once with the apt-get command when packages are missing and the user is not root', () => {
		const { root, aptCalls } = fakeRoot();
		const { status, signal, output } = check(root, { asUser: true });
		// "At once": it exits by itself with its own code (not killed at check's time limit) and
		// runs nothing that could wait (no apt-get below, not even an update).
		expect([status, signal]).toEqual([1, null]);
		expect(output).toContain('sudo apt-get install chromium');
		expect(output).toContain('fonts-noto-cjk');
		expect(output).not.toContain('installing');
		expect(aptCalls()).toEqual([]); // nothing installed, not even an update
		expect(existsSync(join(root, 'usr/bin/chromium'))).toBe(false);
	});

	it('names only what is missing', () => {
		const { root, aptCalls } = fakeRoot({ fcList: true, clickhouse: true });
		const { status, output } = check(root, { asUser: true });
		expect(status).not.toBe(0);
		expect(output).toContain('apt-get install chromium\n');
		expect(aptCalls()).toEqual([]);
		const server = fakeRoot({ chromium: true, fcList: true });
		const missing = check(server.root, { asUser: true });
		expect(missing.status).not.toBe(0);
		expect(missing.output).toContain('apt-get install clickhouse-server zookeeper\n');
		expect(missing.output).toContain('for the ClickHouse tests');
	});

	it('passes silently when everything is there', () => {
		const { root, aptCalls } = fakeRoot({ chromium: true, fcList: true, clickhouse: true });
		const { status, output } = check(root);
		expect(status).toBe(0);
		expect(output).toBe('');
		expect(aptCalls()).toEqual([]);
	});

	it('takes CHROMIUM_PATH instead of Debian chromium, and refuses one that is not executable', () => {
		const { root } = fakeRoot({ fcList: true, clickhouse: true });
		stub(join(root, 'my-chrome'), CHROMIUM);
		expect(check(root, { chromiumPath: join(root, 'my-chrome') }).status).toBe(0);
		const bad = check(root, { chromiumPath: join(root, 'no-such-chrome') });
		expect(bad.status).not.toBe(0);
		expect(bad.output).toContain('CHROMIUM_PATH');
	});

	it.skipIf(!isRoot)('as root, installs what is missing with apt-get, non-interactively', () => {
		const { root, aptCalls } = fakeRoot();
		const { status, output } = check(root);
		expect(output).toBe(
			'holdline: installing chromium fontconfig fonts-noto-cjk clickhouse-server zookeeper with apt-get (needed by the browser tests, the ClickHouse tests)\n'
		);
		expect(status).toBe(0);
		// Service starts refused during the install (no service manager), the policy removed after.
		expect(aptCalls()).toEqual([
			'noninteractive update -qq',
			'policy 101',
			'noninteractive install -y -qq chromium fontconfig fonts-noto-cjk clickhouse-server zookeeper',
			'policy 101'
		]);
		expect(existsSync(join(root, 'usr/sbin/policy-rc.d'))).toBe(false);
	});

	it.skipIf(!isRoot)('as root, leaves a policy-rc.d already there as it was', () => {
		const { root, aptCalls } = fakeRoot();
		writeFileSync(join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
		expect(check(root).status).toBe(0);
		expect(aptCalls()).toContain('policy 0');
		expect(readFileSync(join(root, 'usr/sbin/policy-rc.d'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
	});
});
