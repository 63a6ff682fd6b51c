/**
 * Writes the users file `serve --users FILE` signs users in with: scrypt hashes of their
 * passwords (never the passwords) and the datasets each may see.
 *
 *   npm run users -- add NAME [--datasets a,b|*] [--unmask|--mask] [--file users.json]
 *   npm run users -- remove NAME [--file users.json]
 *   npm run users -- list [--file users.json]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashPassword } from '$lib/server/auth/password-hash';
import { emptyUsersFile, readUsersFile, USER_NAME, withoutUser, withUser, writeUsersFile, type DatasetGrant } from '$lib/server/auth/users-file';
import { UsageError } from './shared';
import { askHidden, readLine } from './hidden-input';

const USAGE = `usage: npm run users -- add NAME [--datasets a,b|*] [--unmask|--mask] [--file users.json]
   or: npm run users -- remove NAME [--file users.json]
   or: npm run users -- list [--file users.json]
  add asks the password twice without showing it (or reads one line from standard input when
  it is not a terminal, for scripts); adding a name already there replaces its password, and its
  datasets when --datasets is given. --datasets: dataset names or ids, or * for every dataset.
  --unmask lets the user see callers' numbers in full (masked by default; --mask takes it back).
  serve --users FILE reads the file at start: restart serve after a change.`;

/** Shortest password taken. */
const MIN_PASSWORD = 8;

function grantOf(text: string): DatasetGrant {
	if (text.trim() === '*') return '*';
	const names = text
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (!names.length) throw new UsageError('--datasets takes dataset names or ids separated by commas, or *');
	return names;
}

async function newPassword(name: string): Promise<string> {
	let password: string;
	if (process.stdin.isTTY) {
		const [first, again] = await askHidden([`Password for ${name}: `, 'The same again: ']);
		if (first !== again) throw new Error('the two passwords differ; nothing was written');
		password = first!;
	} else password = await readLine();
	if ([...password].length < MIN_PASSWORD) throw new Error(`a password of at least ${MIN_PASSWORD} characters, please; nothing was written`);
	return password;
}

const shownGrant = (grant: DatasetGrant) => (grant === '*' ? '* (every dataset)' : grant.join(', '));

async function main() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			file: { type: 'string', default: 'users.json' },
			datasets: { type: 'string' },
			unmask: { type: 'boolean' },
			mask: { type: 'boolean' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const [command, name, ...rest] = positionals;
	const path = values.file;
	const file = existsSync(path) ? await readUsersFile(path) : null;
	if (command === 'list' && !name) {
		if (!file?.users.length) console.log(`no users in ${path}`);
		for (const user of file?.users ?? []) console.log(`${user.name}\t${shownGrant(user.datasets)}${user.unmask ? '\tunmask' : ''}`);
		return;
	}
	if ((command !== 'add' && command !== 'remove') || !name || rest.length) throw new UsageError(`${command ?? 'a command'}: add NAME, remove NAME or list`);
	if (!USER_NAME.test(name))
		throw new UsageError(`${JSON.stringify(name)}: a name of letters, digits and . _ @ - (at most 64), starting with a letter or digit`);
	const known = file?.users.find((u) => u.name === name);
	if (command === 'remove') {
		if (!file || !known) throw new Error(`no user ${name} in ${path}`);
		await writeUsersFile(path, withoutUser(file, name));
		console.log(`removed ${name} from ${path} (restart serve to sign them out)`);
		return;
	}
	if (values.unmask && values.mask) throw new UsageError('--unmask and --mask: one or the other');
	if (!values.datasets && !known) throw new UsageError(`--datasets is needed for a new user: the datasets ${name} may see (names or ids, or *)`);
	const datasets = values.datasets ? grantOf(values.datasets) : known!.datasets;
	const base = file ?? emptyUsersFile();
	const password = await newPassword(name);
	const { salt, hash } = await hashPassword(password, base.scrypt);
	await writeUsersFile(path, withUser(base, { name, salt, hash, datasets, unmask: values.unmask ? true : values.mask ? false : (known?.unmask ?? false) }));
	console.log(
		`${known ? 'replaced' : 'added'} ${name} in ${path}: datasets ${shownGrant(datasets)}${values.unmask || (!values.mask && known?.unmask) ? ", callers' numbers in full" : ''}`
	);
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline users: ${error.message}\n${USAGE}`);
	else console.error(`holdline users: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	process.exit(error instanceof UsageError ? 2 : 1);
});
