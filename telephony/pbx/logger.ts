import pino, { type Logger } from 'pino';

export type { Logger };

export const silentLogger = (): Logger => pino({ level: 'silent' });
