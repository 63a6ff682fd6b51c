import { zh as story } from '$lib/story/messages';
import { common } from './common';
import { errors } from './errors';
import { imports } from './imports';
import { incident } from './incident';
import { quality } from './quality';
import { report } from './report';
import { service } from './service';
import { staffing } from './staffing';

/** Every Chinese message, by area; the keys of this object are the app's message keys. */
export const zh = { ...common, ...imports, ...errors, ...quality, ...service, ...incident, ...staffing, ...report, ...story };

/** The areas one by one (a key belongs to exactly one; tests check that none is defined twice). */
export const ZH_AREAS = { common, imports, errors, quality, service, incident, staffing, report, story };
