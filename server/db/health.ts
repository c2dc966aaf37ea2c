import type { Services } from '../context.js';

/** Whether the database answers (the readiness check). */
export const pingDatabase = (services: Pick<Services, 'database'>) => services.database.ping();
