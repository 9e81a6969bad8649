import { randomUUID } from 'node:crypto';
import type { Clock } from '../options.js';

const secondsLeft = (ms: number): number => Math.max(0, Math.ceil(ms / 1000) - 1);

export type TokenCheck = 'ok' | 'invalid' | 'expired';

interface Issued {
  expiresAt: number;
  /** Marketo answers 602 on the first use after expiry, then 601. */
  expiryReported: boolean;
}

/** Access tokens of the one custom service the emulator knows. */
export class TokenAuthority {
  private readonly tokens = new Map<string, Issued>();
  private current: string | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeSeconds: () => number,
  ) {}

  /**
   * The live token and its remaining lifetime; a new token once the previous one expired. The remaining lifetime is
   * the whole seconds strictly left, so a new token of 3600 s answers 3599, as in the DOCS example.
   */
  grant(): { token: string; expiresIn: number } {
    const now = this.clock.now();
    const live = this.current === undefined ? undefined : this.tokens.get(this.current);
    if (this.current !== undefined && live && live.expiresAt > now) {
      return { token: this.current, expiresIn: secondsLeft(live.expiresAt - now) };
    }
    const token = `${randomUUID()}:emu`;
    const lifetimeMs = this.lifetimeSeconds() * 1000;
    this.tokens.set(token, { expiresAt: now + lifetimeMs, expiryReported: false });
    this.current = token;
    return { token, expiresIn: secondsLeft(lifetimeMs) };
  }

  check(token: string): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued) return 'invalid';
    if (issued.expiresAt > this.clock.now()) return 'ok';
    if (issued.expiryReported) return 'invalid';
    issued.expiryReported = true;
    return 'expired';
  }

  /** Makes every token expire now, as if an hour had passed. */
  expireAll(): void {
    const now = this.clock.now();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }

  issued(): string[] {
    return [...this.tokens.keys()];
  }
}
