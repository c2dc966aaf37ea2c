import pg from 'pg';

export type Unlisten = () => Promise<void>;
export type NotificationHandler = (payload: string) => void;
/** Told `false` when the connection drops (notifications may be lost from then on) and `true` once it listens again. */
export type ListeningHandler = (listening: boolean) => void;

/**
 * LISTEN on a connection of its own: a pooled connection goes back to the pool and
 * would stop hearing. The connection is reopened (and every channel listened to again)
 * when it drops; what was notified meanwhile is lost, which is why the screen-pops
 * keep each agent's current pop in a table and deliver it on connect.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly watchers = new Set<ListeningHandler>();
  private closed = false;
  /** The connection dropped since the watchers last heard `true`. */
  private gap = false;

  constructor(private readonly url: string) {}

  async listen(channel: string, handler: NotificationHandler, onListening?: ListeningHandler): Promise<Unlisten> {
    if (onListening) this.watchers.add(onListening);
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const client = await this.connection();
    if (first) await client.query(`LISTEN ${quoteChannel(channel)}`);
    return async () => {
      if (onListening) this.watchers.delete(onListening);
      set!.delete(handler);
      if (set!.size || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${quoteChannel(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('notification', (n) => {
      for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      this.gap = true;
      for (const w of this.watchers) w(false);
      if (!this.closed) setTimeout(() => void this.reopen(), 500).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`);
    if (this.closed) {
      await client.end();
      throw new Error('listener closed');
    }
    this.client = client;
    if (this.gap) {
      this.gap = false;
      for (const w of this.watchers) w(true);
    }
    return client;
  }

  private async reopen(): Promise<void> {
    while (!this.closed && !this.client) {
      try {
        await this.connection();
      } catch {
        await new Promise((r) => setTimeout(r, 1000).unref());
      }
    }
  }
}

/** Channel names are ours (cg_*), but quote them anyway: LISTEN takes an identifier, not a parameter. */
export function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  return `"${channel}"`;
}
