/**
 * First step of `npm test`: makes sure of the system packages the tests need, which npm cannot
 * install (Debian's Chromium for the browser tests, a CJK font so Chinese is not drawn as empty
 * boxes, ClickHouse's server for the two-shard tests and ZooKeeper for their `ON CLUSTER` ones), so that `npm test` is the only set-up
 * command on a fresh machine. As root on Debian it installs what is missing with apt-get;
 * otherwise it stops at once, before any test runs, and prints the command to run. Nothing is downloaded except by the system's package manager.
 *
 * Testing only: HOLDLINE_SYSTEM_ROOT=DIR makes every check look under DIR instead of / —
 * chromium at DIR/usr/bin/chromium, fonts listed by DIR/usr/bin/fc-list, the server at
 * DIR/usr/sbin/clickhouse-server, ZooKeeper's jar at DIR/usr/share/java/zookeeper.jar, and apt-get
 * run as DIR/usr/bin/apt-get — so tests can fake a
 * machine that lacks (or has) the packages.
 * (CHROMIUM_PATH, the browser tests' own setting, is still honoured as it is.)
 */
import { accessSync, constants, existsSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const ROOT = process.env.HOLDLINE_SYSTEM_ROOT ?? '';
const TESTS = 'the browser tests';

/** @param {string} path */
const readable = (path) => {
	try {
		accessSync(path, constants.R_OK);
		return true;
	} catch {
		return false;
	}
};

/** @param {string} path */
const executable = (path) => {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
};

const fontFamilies = () => {
	const fcList = `${ROOT}/usr/bin/fc-list`;
	if (!executable(fcList)) return '';
	return spawnSync(fcList, [':', 'family'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '';
};

// A Debian package, what needs it, and how to tell it is installed: one line each.
/** @type {{ name: string, for: string, present: () => boolean }[]} */
const PACKAGES = [
	{ name: 'chromium', for: TESTS, present: () => !!process.env.CHROMIUM_PATH || executable(`${ROOT}/usr/bin/chromium`) },
	{ name: 'fontconfig', for: TESTS, present: () => executable(`${ROOT}/usr/bin/fc-list`) }, // fc-list, to find the font below
	{ name: 'fonts-noto-cjk', for: TESTS, present: () => /Noto Sans CJK/i.test(fontFamilies()) },
	// Debian's package puts the server in /usr/sbin; its own service start is refused where there
	// is no service manager (policy-rc.d), which is fine: the tests start their own shards.
	{ name: 'clickhouse-server', for: 'the ClickHouse tests', present: () => executable(`${ROOT}/usr/sbin/clickhouse-server`) },
	// Started by the tests that load a cluster through `ON CLUSTER` (distributed DDL); it brings Java.
	{ name: 'zookeeper', for: 'the ClickHouse tests', present: () => readable(`${ROOT}/usr/share/java/zookeeper.jar`) }
];

/** @param {string} message */
const fail = (message) => {
	console.error(`holdline: ${message}`);
	process.exit(1);
};

// CHROMIUM_PATH replaces Debian's Chromium, so it has to work: installing chromium would not help.
const chromiumPath = process.env.CHROMIUM_PATH;
if (chromiumPath && !executable(chromiumPath))
	fail(`CHROMIUM_PATH is ${chromiumPath}, which is not an executable file; fix it, or unset it to use Debian's chromium.`);

const missing = () => PACKAGES.filter((p) => !p.present());
const need = missing();
if (need.length === 0) process.exit(0);

const names = need.map((p) => p.name).join(' ');
const why = [...new Set(need.map((p) => p.for))].join(', ');
const aptGet = `${ROOT}/usr/bin/apt-get`;

if (process.getuid?.() !== 0 || !executable(aptGet)) {
	const command = `sudo apt-get install ${names}`;
	fail(
		executable(aptGet)
			? `npm test needs ${names} (for ${why}), not installed here. Install with:\n  ${command}\nthen run npm test again.`
			: `npm test needs the Debian packages ${names} (for ${why}). On Debian:\n  ${command}\nElsewhere, install Chromium (and set CHROMIUM_PATH), the Noto Sans CJK fonts, clickhouse-server and ZooKeeper with your system's package manager.`
	);
}

console.log(`holdline: installing ${names} with apt-get (needed by ${why})`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
// Packages with a service (clickhouse-server) would try to start it; without a service manager
// that start fails the install. The standard policy file refuses service starts during the
// install (the tests start their own servers); it is put in place only if none is there.
const policy = `${ROOT}/usr/sbin/policy-rc.d`;
let madePolicy = false;
if (!existsSync(policy)) {
	try {
		writeFileSync(policy, '#!/bin/sh\n# holdline: no service starts during apt-get install\nexit 101\n', { mode: 0o755 });
		madePolicy = true;
	} catch {
		// No such folder (not Debian): apt-get below reports what is wrong.
	}
}
let failed = '';
for (const args of [
	['update', '-qq'],
	['install', '-y', '-qq', ...need.map((p) => p.name)]
]) {
	const run = spawnSync(aptGet, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
	if (run.status === 0) continue;
	failed = `apt-get ${args.join(' ')} failed (${run.error?.message ?? (run.signal ? `signal ${run.signal}` : `exit code ${run.status}`)}).`;
	break;
}
if (madePolicy) rmSync(policy, { force: true });
if (failed) fail(failed);
const still = missing();
if (still.length > 0) fail(`still missing after apt-get install: ${still.map((p) => p.name).join(' ')}.`);
