import { describe, expect, it } from 'vitest';
import { guessMapping, mappingOf } from '$lib/imports/guess';

/**
 * The header guess of a leg log (LEGS-CONTRACT section 1): with a call id and a direction
 * column, a column named like a status is the legs' status, even when its first values are
 * words the app does not know (the import then lists them for the user to assign); without a
 * direction it stays the call's outcome.
 */
const guessed = (columns: string[], rows: string[][]) => mappingOf(guessMapping(columns, rows));

const LEG_ROWS = (statuses: string[]) => statuses.map((status, i) => [`C${i}`, 'Inbound', status, '2021-03-01 09:00:0' + i, '35']);

describe('a leg log’s status column is guessed as the leg status', () => {
	it.each([
		['Status', ['Handled', 'Dropped', 'Handled']],
		['Call Status', ['Handled', 'Dropped', 'Parked']],
		['状态', ['处理完毕', '客户挂断', '处理完毕']],
		['Disposition', ['DONE', 'LOST', 'DONE']]
	])('%s with unknown words %j', (name, statuses) => {
		const mapping = guessed(['Call ID', 'Direction', name, 'Start', 'Talk'], LEG_ROWS(statuses));
		expect(mapping).toMatchObject({ call_id: 'Call ID', direction: 'Direction', status: name });
		expect(mapping.outcome).toBeUndefined();
	});

	it('with known status words under another name (Result)', () => {
		const mapping = guessed(['Call ID', 'Direction', 'Result', 'Start', 'Talk'], LEG_ROWS(['Answered', 'Missed', 'Busy']));
		expect(mapping).toMatchObject({ status: 'Result' });
	});

	it('a result of unknown words stays the outcome (not named like a status)', () => {
		const mapping = guessed(['Call ID', 'Direction', 'Result', 'Start', 'Talk'], LEG_ROWS(['Handled', 'Dropped', 'Handled']));
		expect(mapping).toMatchObject({ outcome: 'Result' });
		expect(mapping.status).toBeUndefined();
	});

	it('without a direction column the file is a call log: Status is the outcome', () => {
		const rows = LEG_ROWS(['Handled', 'Dropped', 'Handled']).map(([id, , status, start, talk]) => [id!, status!, start!, talk!]);
		const mapping = guessed(['Call ID', 'Status', 'Start', 'Talk'], rows);
		expect(mapping).toMatchObject({ outcome: 'Status' });
		expect(mapping.status).toBeUndefined();
	});

	it('without a call id it stays the outcome', () => {
		const rows = LEG_ROWS(['Handled', 'Dropped', 'Handled']).map(([, direction, status, start, talk]) => [direction!, status!, start!, talk!]);
		const mapping = guessed(['Direction', 'Status', 'Start', 'Talk'], rows);
		expect(mapping).toMatchObject({ direction: 'Direction', outcome: 'Status' });
	});
});
