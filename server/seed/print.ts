/** Seeded passwords are shown once, on the console of whoever ran the seed, and never logged. */
export function printAccounts(accounts: Array<{ username: string; role: string; password: string }>): void {
  if (!accounts.length) return;
  const lines = [
    '',
    '演示城市已初始化。以下账号密码只显示这一次，请妥善保存 / Demo accounts (shown once):',
    ...accounts.map((a) => `  ${a.role.padEnd(11)} ${a.username.padEnd(12)} ${a.password}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
