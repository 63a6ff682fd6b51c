import { auth } from './auth';
import { common } from './common';
import { errors } from './errors';
import { imports } from './imports';
import { incident } from './incident';
import { live } from './live';
import { quality } from './quality';
import { report } from './report';
import { service } from './service';
import { staffing } from './staffing';
import { story } from './story';

/**
 * Every Chinese message, by area; the keys of this object are the app's message keys. A new
 * key goes in the area its prefix names, in zh/<area>.ts and then en/<area>.ts:
 * - common: app, nav, lang, page, print, yes/no, status.loading|error|empty, filter, the chart
 *   frame (chart.export…, chart.table, chart.keys, chart.noData, chart.filters), datasets, sample, source
 * - imports: import.*, and the value meanings outcome.* (canonical), direction.*, status.* (leg)
 * - errors: problem.*, hint.*, filekind.*
 * - quality: quality.*
 * - service: service.*, kpi.*, chart.* and col.* of the Service level page and its CSVs
 * - incident: incident.*; staffing: staffing.*; report: report.*
 * - live: live.*, and nav.wallboard (the wallboard page)
 * - auth: auth.* (sign-in on a holdline server, and its refusals)
 * - story (story.ts): the article's figures and captions, its calls and their notes,
 *   the overview, calls and about pages, the story's own outcome.* codes
 */
export const zh = { ...common, ...imports, ...errors, ...quality, ...service, ...incident, ...staffing, ...report, ...live, ...story, ...auth };

/** The areas one by one (a key belongs to exactly one; tests check that none is defined twice). */
export const ZH_AREAS = { common, imports, errors, quality, service, incident, staffing, report, live, story, auth };
