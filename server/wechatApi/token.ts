export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Fetches a token; `force` asks for a new one even while the current one is valid. */
export type TokenSource = (force: boolean) => Promise<IssuedToken>;

/** Refresh ahead of expiry: five minutes on a normal two-hour token, a tenth of shorter ones. */
const MAX_MARGIN_MS = 5 * 60_000;

/**
 * The access token, cached until shortly before it expires. Every caller that
 * needs a new token while one is being fetched waits for that same fetch, so a
 * burst of calls (or of 40001 answers) costs WeChat one token request.
 */
export class AccessTokenCache {
  private current?: { value: string; refreshAt: number };
  private inflight?: Promise<string>;
  /** Tokens handed out, so error messages can be scrubbed of them. */
  readonly issued = new Set<string>();

  constructor(
    private readonly source: TokenSource,
    private readonly now: () => number,
  ) {}

  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    return this.load(false);
  }

  /** A call answered that `rejected` is invalid or expired: a different token, fetched at most once per burst. */
  async replace(rejected: string): Promise<string> {
    if (this.current?.value === rejected) this.current = undefined;
    const token = await this.get();
    if (token !== rejected) return token;
    // The stable-token endpoint in normal mode hands back the token WeChat just
    // refused while it thinks it still valid; only a forced refresh replaces it.
    if (this.current?.value === rejected) this.current = undefined;
    return this.load(true);
  }

  private load(force: boolean): Promise<string> {
    this.inflight ??= this.source(force)
      .then(({ accessToken, expiresInSeconds }) => {
        const lifetime = expiresInSeconds * 1000;
        this.current = {
          value: accessToken,
          refreshAt: this.now() + lifetime - Math.min(MAX_MARGIN_MS, lifetime / 10),
        };
        this.issued.add(accessToken);
        if (this.issued.size > 8) this.issued.delete(this.issued.values().next().value!);
        return accessToken;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
