import type { Services } from './context.js';
import type { RouteFactory } from './app.js';
import { caseRoutes } from './routes/cases/router.js';
import { inboxRoutes } from './routes/inboxes/router.js';
import { departmentRoutes } from './routes/departments/router.js';
import { knowledgeRoutes } from './routes/knowledge/router.js';
import { reportRoutes } from './routes/reports/router.js';
import { citizenRoutes } from './routes/citizenRecords/router.js';
import { publicReferenceRoutes, referenceRoutes } from './routes/reference/router.js';
import { classifyRoutes } from './routes/classify/router.js';
import { fileRoutes } from './routes/files/router.js';
import { webhookRoutes } from './routes/webhooks/router.js';
import { deliveryRoutes } from './routes/deliveries/router.js';
import { open311Routes } from './routes/open311/router.js';
import { openApiRoutes } from './routes/openapi/router.js';
import { citizenApiRoutes } from './routes/citizenApp/router.js';
import { deliverOnce } from './forwarding/deliver.js';
import { sweepDeadlines } from './cases/deadlines.js';
import { surveyRoutes } from './routes/surveys/router.js';
import { surveyLinkRoutes } from './routes/surveyLinks/router.js';
import { statsRoutes } from './routes/stats/router.js';
import { scheduleSurveys } from './surveys/schedule.js';
import { runSurveyAttempt } from './surveys/attempt.js';
import { surveysOnTransition } from './surveys/reactions.js';
import { runNotifyJob } from './notifications/send.js';
import { notifyOnOpened, notifyOnTransition } from './notifications/reactions.js';
import { startTelephony } from './telephony/runtime.js';
import { callRoutes } from './routes/calls/router.js';
import { wechatPushRoutes } from './routes/wechatPush/router.js';
import { staffRoutes } from './routes/staff/router.js';
import { jobRoutes } from './routes/jobs/router.js';
import { chatRoutes } from './routes/chat/router.js';
import { geoRoutes, geoStaffRoutes } from './routes/geo/router.js';
import { boardRoutes } from './routes/board/router.js';
import { startChat } from './chatbot/runtime.js';
import { botOptionsFrom, launchChatBot } from './chatbot/launch.js';
import { customerServiceRoutes } from './routes/customerService/router.js';
import { refreshRollups } from './stats/rollup.js';
import { whileLeader } from './cluster/singletons.js';
import type { JobHandlers } from './jobs/boss.js';
import type { QueueName } from './jobs/queues.js';
import { sweepRetention } from './retention/sweep.js';
import { smsRoutes } from './routes/sms/router.js';

/** Long-lived parts beside the web server (job workers, PBX, chat bot). */
export interface Runtime {
  services: Services;
  stop(): Promise<void>;
}

/**
 * Queues whose handlers use a singleton (the PBX for survey calls, the chat bot, or what is
 * reachable through them when choosing a survey channel): only the leader works them, so
 * they run where the PBX and the bot are connected. Every other queue runs on every instance.
 */
const leaderQueues = new Set<QueueName>(['open-survey-round', 'schedule-survey', 'run-survey', 'notify-citizen']);

export async function startWorkers(services: Services): Promise<Runtime> {
  const { jobs, log, leadership } = services;
  const openRound = async (data: { caseId: string }) => {
    await scheduleSurveys(services, data.caseId);
  };
  const handlers: JobHandlers = {
    'deliver-to-department': async (data) => {
      await deliverOnce(services, data.deliveryId);
    },
    'deadline-sweep': async () => {
      const r = await sweepDeadlines(services);
      if (r.warned || r.overdue) log.info(r, 'deadline sweep');
    },
    // Keeps the figures' backlog short, so a dashboard request finds little left to fold in.
    'stats-rollup': async () => {
      const r = await refreshRollups(services.database.db);
      if (r.cases) log.debug(r, 'stats rollup');
    },
    'retention-sweep': async () => {
      const r = await sweepRetention(services);
      if (Object.values(r).some(Boolean)) log.info(r, 'retention sweep');
    },
    // One consumer per queue (pg-boss hands each job to one worker): further reactions to a
    // transition are added to its handler, not registered as workers of their own. Retired: the
    // intake queues the 受理 notice itself (queues.ts); jobs queued before that still run.
    'case-opened': async (data) => {
      await notifyOnOpened(services, data);
    },
    'case-transitioned': async (data) => {
      await surveysOnTransition(services, data);
      await notifyOnTransition(services, data);
    },
    'open-survey-round': openRound,
    // Retired: jobs a live database queued before the transition sent `open-survey-round` itself.
    'schedule-survey': openRound,
    'run-survey': async (data) => {
      await runSurveyAttempt(services, data.surveyId);
    },
    'notify-citizen': async (data) => {
      await runNotifyJob(services, data);
    },
  };
  const queues = Object.keys(handlers) as QueueName[];
  const work = <Q extends QueueName>(queue: Q) => jobs!.work(queue, handlers[queue]);
  if (jobs) {
    for (const queue of queues) if (!leaderQueues.has(queue)) await work(queue);
    // pg-boss keeps one schedule row per name and fires it once a minute across all instances.
    await jobs.boss.schedule('deadline-sweep', '* * * * *', {}, { tz: 'Asia/Shanghai' });
    await jobs.boss.schedule('stats-rollup', '* * * * *', {}, { tz: 'Asia/Shanghai' });
    await jobs.boss.schedule('retention-sweep', '30 3 * * *', {}, { tz: 'Asia/Shanghai' });
  }
  // The official account and the mini-program's chat are plain HTTPS pushes that may reach any
  // instance, so every instance runs their engine; a Wechaty puppet is one logged-in client, so
  // only the leader runs it (on the same engine when there is one).
  const customerService = await startChat(services, { bot: null });
  const singletons = whileLeader(leadership, log, async () => {
    if (jobs) for (const queue of queues) if (leaderQueues.has(queue)) await work(queue);
    const telephony = await startTelephony(services);
    const puppet = services.config.WECHAT_BOT_PUPPET
      ? await (
          customerService
            ? launchChatBot(services, { ...botOptionsFrom(services), engine: customerService.engine })
            : startChat(services)
        ).catch((err) => {
          log.error({ err }, 'wechat bot did not start');
          return null;
        })
      : null;
    return async () => {
      if (jobs) for (const queue of leaderQueues) await jobs.boss.offWork(queue);
      await puppet?.stop();
      if (telephony) await telephony.stop();
      else await services.pbx?.stop();
    };
  });
  // On PGlite (and on a fresh PostgreSQL) this instance leads at once: start as before, singletons up.
  await leadership.start();
  await singletons.settled();
  return {
    services,
    stop: async () => {
      await singletons.stop();
      await leadership.stop();
      await customerService?.stop();
    },
  };
}

export function routeFactories(_runtime: Runtime): RouteFactory[] {
  return [
    classifyRoutes,
    citizenApiRoutes,
    publicReferenceRoutes,
    geoRoutes,
    geoStaffRoutes,
    boardRoutes,
    fileRoutes,
    webhookRoutes,
    wechatPushRoutes,
    customerServiceRoutes,
    open311Routes,
    openApiRoutes,
    reportRoutes,
    caseRoutes,
    inboxRoutes,
    departmentRoutes,
    knowledgeRoutes,
    citizenRoutes,
    referenceRoutes,
    deliveryRoutes,
    callRoutes,
    staffRoutes,
    jobRoutes,
    surveyRoutes,
    surveyLinkRoutes,
    statsRoutes,
    chatRoutes,
    smsRoutes,
  ];
}
