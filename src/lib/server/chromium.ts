/**
 * How holdline drives Chromium (the PDF report, the bench, the browser tests): Debian's own
 * build, never a downloaded one, headless with nothing that reaches the network by itself.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
