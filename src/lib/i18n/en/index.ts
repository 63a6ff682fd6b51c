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

/** Every English message, by the same areas as the Chinese (zh/index.ts). */
export const en = { ...common, ...imports, ...errors, ...quality, ...service, ...incident, ...staffing, ...report, ...live, ...story, ...auth };

export const EN_AREAS = { common, imports, errors, quality, service, incident, staffing, report, live, story, auth };
