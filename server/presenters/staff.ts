import type { StaffRow } from '../db/rows.js';

export function presentStaff(u: StaffRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    departmentId: u.departmentId,
    extension: u.extension,
    active: u.active,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}
