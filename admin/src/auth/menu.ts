import type { Role } from '../api/types';

export type Screen = 'desk' | 'inbox' | 'cases' | 'map' | 'stats' | 'system';

/**
 * Which screens each role sees in the menu. This only saves people from screens they cannot
 * use; every call is still authorised by the server (server/auth/policy.ts).
 */
export const screensByRole: Record<Role, Screen[]> = {
  agent: ['desk', 'inbox', 'cases', 'map'],
  supervisor: ['desk', 'inbox', 'cases', 'map', 'stats'],
  department: ['cases', 'inbox', 'map'],
  admin: ['desk', 'inbox', 'cases', 'map', 'stats', 'system'],
};

export const screensFor = (role: string | undefined): Screen[] => screensByRole[role as Role] ?? ['cases'];

/** The inbox a role starts its day in. */
export const firstInbox: Record<Role, string> = {
  agent: 'review',
  supervisor: 'dispatch',
  department: 'accept',
  admin: 'dispatch',
};

/** Where a screen's menu entry leads: the inbox screen opens the role's first inbox. */
export const screenPath = (screen: Screen, role: string | undefined) =>
  screen === 'inbox' ? `/inbox/${firstInbox[role as Role] ?? 'review'}` : `/${screen}`;
