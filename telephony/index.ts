export { createPbx, type CreatePbxOptions } from './create-pbx.js';
export {
  telephonySettingsObject,
  telephonySettingsSchema,
  refineTelephonySettings,
  pbxOptionsFrom,
  type TelephonySettings,
} from './config.js';
export type { Pbx } from './pbx/pbx.js';
export type { PbxEvents, PbxEventName, CallEventBase } from './pbx/events.js';
export type {
  AgentRef,
  CallDirection,
  CallRecord,
  ClickToCallRequest,
  DigitsResult,
  OriginateFailureReason,
  OriginateRequest,
  OriginateResult,
  PbxKind,
  PbxState,
  PlayAndGetDigitsOptions,
  PlayResult,
  Prompt,
  TransferTarget,
} from './pbx/types.js';
export { type CallRecordStore, type VanishedCalls, InMemoryCallRecordStore } from './pbx/store.js';
export { PbxError, PbxAuthError, PbxTimeoutError } from './pbx/errors.js';
export { HANGUP_CAUSE_VANISHED, HANGUP_CAUSE_NOT_CREATED } from './pbx/hangup-causes.js';
export { InboundCalls, type ScreenPop } from './flows/inbound.js';
export { HotlineIvr, type HotlineIvrOptions, type IvrOutcome } from './flows/ivr.js';
export { runSurveyCall, type SurveyCallRequest, type SurveyOutcome } from './flows/survey.js';
export { prompts, satisfaction } from './flows/prompts.js';
