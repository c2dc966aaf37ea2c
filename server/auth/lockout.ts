import type { Db } from '../db/client.js';
import { BackoffCounter } from '../limits/counters.js';

/**
 * Login lockout by account and address together, plus a looser one per address.
 * A stranger guessing from elsewhere locks only their own (account, address) pair and their
 * own address, never the owner's login from the owner's address.
 */
export class LoginGuard {
  private readonly pair: BackoffCounter;
  private readonly address: BackoffCounter;

  constructor(db: Db, maxFailures: number, windowMinutes: number) {
    const base = windowMinutes * 60;
    this.pair = new BackoffCounter(db, 'login', maxFailures, base);
    // An office behind one NAT shares an address, so the per-address limit is looser.
    this.address = new BackoffCounter(db, 'login-address', maxFailures * 4, base);
  }

  private static pairKey(account: string, address: string) {
    return `${account.toLowerCase()}\n${address}`;
  }

  /** Seconds until this account may try again from this address, or 0. */
  async blockedFor(account: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([
      this.pair.blockedFor(LoginGuard.pairKey(account, address)),
      this.address.blockedFor(address),
    ]);
    return Math.max(a, b);
  }

  async failed(account: string, address: string): Promise<void> {
    await this.pair.fail(LoginGuard.pairKey(account, address));
    await this.address.fail(address);
  }

  async succeeded(account: string, address: string): Promise<void> {
    await this.pair.clear(LoginGuard.pairKey(account, address));
  }

  /** An administrator's unlock: the account's lockouts from every address. */
  async unlock(account: string): Promise<number> {
    return this.pair.clearPrefix(`${account.toLowerCase()}\n`);
  }
}
