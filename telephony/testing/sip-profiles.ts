import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** The SIP profiles we ship (sofia.conf.xml includes every sip_profiles/*.xml). */
export const shippedSipProfilesDir = path.resolve(import.meta.dirname, '../freeswitch/conf/sip_profiles');

/** What the test server takes from a sofia profile: the clock its RTP is sent on. */
export interface SipProfileMedia {
  name: string;
  /** `rtp-timer-name` as written, or null when the profile does not set it. */
  rtpTimerName: string | null;
  /**
   * Whether outgoing media runs on a clock of FreeSWITCH's own. `soft` is the core's timer;
   * without one (no `rtp-timer-name`, `none`, or a timer no module provides: switch_rtp.c
   * logs "Error Starting timer" and goes on without) each frame written waits for a frame
   * read, and a read with nothing arriving gives up only after 5 s (poll_sec in
   * switch_rtp_read): a far end that sends no RTP hears one 20 ms frame every 5 s.
   */
  clocked: boolean;
}

const TIMERS = new Set(['soft']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => name === 'param' || name === 'profile',
});

interface ParamNode {
  name?: string;
  value?: string;
}

/** Reads <dir>/*.xml, one <profile> each, as sofia.conf.xml includes them. */
export function readSipProfiles(dir = shippedSipProfilesDir): Map<string, SipProfileMedia> {
  const profiles = new Map<string, SipProfileMedia>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()) {
    const xml = parser.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      profile?: Array<{ name?: string; settings?: { param?: ParamNode[] } }>;
    };
    for (const profile of xml.profile ?? []) {
      if (!profile.name) throw new Error(`${file}: a <profile> without a name`);
      const params = profile.settings?.param ?? [];
      const timer = params.find((p) => p.name === 'rtp-timer-name')?.value?.trim() || null;
      profiles.set(profile.name, {
        name: profile.name,
        rtpTimerName: timer,
        clocked: timer !== null && TIMERS.has(timer),
      });
    }
  }
  if (profiles.size === 0) throw new Error(`no SIP profile in ${dir}`);
  return profiles;
}
