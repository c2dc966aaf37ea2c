import type { Role } from '../api/types';

export type Screen = 'desk' | 'cases' | 'map' | 'stats' | 'system';

/**
 * Which screens each role sees in the menu. This only saves people from screens they cannot
 * use; every call is still authorised by the server (server/auth/policy.ts).
 */
export const screensByRole: Record<Role, Screen[]> = {
  agent: ['desk', 'cases', 'map'],
  supervisor: ['desk', 'cases', 'map', 'stats'],
  department: ['cases', 'map'],
  admin: ['desk', 'cases', 'map', 'stats', 'system'],
};

export const screensFor = (role: string | undefined): Screen[] => screensByRole[role as Role] ?? ['cases'];
