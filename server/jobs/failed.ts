import type { Services } from '../context.js';

/** Jobs that exhausted their retries, newest first (the dead-letter queue itself left out). */
export async function failedJobs(services: Services) {
  const { rows } = await services.database.executor.executeSql(
    `select id, name, data, output, retry_count, completed_on from pgboss.job
     where state = 'failed' and name <> 'dead-letters' order by completed_on desc limit 200`,
  );
  return rows;
}

/** The state of one job, or undefined when the queue has no job with that id. */
export async function jobState(services: Services, queue: string, id: string): Promise<unknown> {
  const { rows } = await services.database.executor.executeSql(
    `select state from pgboss.job where name = $1 and id = $2`,
    [queue, id],
  );
  return rows[0]?.state;
}
