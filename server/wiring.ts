import type { Services } from './context.js';
import type { RouteFactory } from './app.js';
import { caseRoutes } from './routes/cases/router.js';
import { reportRoutes } from './routes/reports/router.js';
import { citizenRoutes } from './routes/citizens/router.js';
import { publicReferenceRoutes, referenceRoutes } from './routes/reference/router.js';
import { classifyRoutes } from './routes/classify/router.js';
import { fileRoutes } from './routes/files/router.js';
import { webhookRoutes } from './routes/webhooks/router.js';
import { deliveryRoutes } from './routes/deliveries/router.js';
import { open311Routes } from './routes/open311/router.js';
import { openApiRoutes } from './routes/openapi/router.js';
import { citizenApiRoutes } from './routes/citizen/router.js';
import { deliverOnce } from './forwarding/deliver.js';
import { sweepDeadlines } from './cases/deadlines.js';
import { surveyRoutes } from './routes/surveys/router.js';
import { statsRoutes } from './routes/stats/router.js';
import { scheduleSurveys } from './surveys/schedule.js';
import { runSurveyAttempt } from './surveys/attempt.js';
import { surveysOnTransition, type CaseTransitioned } from './surveys/reactions.js';
import { runNotifyJob, type NotifyJob } from './notifications/send.js';
import { notifyOnOpened, notifyOnTransition, type CaseOpened } from './notifications/reactions.js';
import { startTelephony } from './telephony/runtime.js';
import { callRoutes } from './routes/calls/router.js';
import { wechatPushRoutes } from './routes/wechatPush/router.js';
import { staffRoutes } from './routes/staff/router.js';
import { jobRoutes } from './routes/jobs/router.js';
import { chatRoutes } from './routes/chat/router.js';
import { startChat } from './channels/wechat/runtime.js';
import { customerServiceRoutes } from './routes/customerService/router.js';

/** Long-lived parts beside the web server (job workers, PBX, chat bot). */
export interface Runtime {
  services: Services;
  stop(): Promise<void>;
}

export async function startWorkers(services: Services): Promise<Runtime> {
  const { jobs, log } = services;
  if (jobs) {
    await jobs.work<{ deliveryId: string }>('deliver-to-department', async (data) => {
      await deliverOnce(services, data.deliveryId);
    });
    await jobs.work('deadline-sweep', async () => {
      const r = await sweepDeadlines(services);
      if (r.warned || r.overdue) log.info(r, 'deadline sweep');
    });
    await jobs.boss.schedule('deadline-sweep', '* * * * *', {}, { tz: 'Asia/Shanghai' });

    // One consumer per queue (pg-boss hands each job to one worker): further reactions to
    // these two events are added to these handlers, not registered as workers of their own.
    await jobs.work<CaseOpened>('case-opened', async (data) => {
      await notifyOnOpened(services, data);
    });
    await jobs.work<CaseTransitioned>('case-transitioned', async (data) => {
      await surveysOnTransition(services, data);
      await notifyOnTransition(services, data);
    });
    await jobs.work<{ caseId: string }>('schedule-survey', async (data) => {
      await scheduleSurveys(services, data.caseId);
    });
    await jobs.work<{ surveyId: string }>('run-survey', async (data) => {
      await runSurveyAttempt(services, data.surveyId);
    });
    await jobs.work<NotifyJob>('notify-citizen', async (data) => {
      await runNotifyJob(services, data);
    });
  }
  const telephony = await startTelephony(services);
  // Chat runs when an official account, the mini-program's chat or a Wechaty puppet is configured.
  const chat = await startChat(services);
  return {
    services,
    stop: async () => {
      await chat?.stop();
      if (telephony) await telephony.stop();
      else await services.pbx?.stop();
    },
  };
}

export function routeFactories(_runtime: Runtime): RouteFactory[] {
  return [
    classifyRoutes,
    citizenApiRoutes,
    publicReferenceRoutes,
    fileRoutes,
    webhookRoutes,
    wechatPushRoutes,
    customerServiceRoutes,
    open311Routes,
    openApiRoutes,
    reportRoutes,
    caseRoutes,
    citizenRoutes,
    referenceRoutes,
    deliveryRoutes,
    callRoutes,
    staffRoutes,
    jobRoutes,
    surveyRoutes,
    statsRoutes,
    chatRoutes,
  ];
}
