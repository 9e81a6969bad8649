/** A scripted misbehaviour, applied to the next `times` requests that match. */
export type FaultRule = FaultMatch &
  (
    | { kind: 'marketo'; code: string; message?: string } // HTTP 200 with success:false
    | { kind: 'http'; status: number; body?: string; echo?: EchoMode } // e.g. 502 from the gateway, 500
    | { kind: 'reset'; afterHandling?: boolean } // socket destroyed; afterHandling = the request took effect first
    | { kind: 'slow'; delayMs: number } // answered normally after a delay
  );

/**
 * Every `{request}` in an `http` fault's body becomes the request body, as received (`raw`) or escaped to sit inside a
 * JSON string (`json`): what a gateway or an OAuth server that quotes the request would answer.
 */
export type EchoMode = 'raw' | 'json';

export interface FaultMatch {
  /** Exact path (string) or pattern; any API path by default. Never matches `/_emulator/`. */
  path?: string | RegExp;
  method?: string;
  /** How many matching requests are affected; default 1, Infinity for all. */
  times?: number;
  /** Waits this long before the fault (for 'slow', the delay itself). */
  delayMs?: number;
}

export type FaultKind = FaultRule['kind'];

/** Marketo's messages for the codes a test is likely to script. */
const MESSAGES: Record<string, string> = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '603': 'Access denied',
  '604': 'Request timed out',
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '608': 'API Temporarily Unavailable',
  '611': 'System error',
  '614': 'Invalid Subscription',
  '615': "Concurrent access limit '10' reached",
  '713': 'Transient Error',
  '1016': 'There are 10 imports currently being processed. Please try again later',
  '1019': 'Import in progress',
};

export function defaultMessage(code: string): string {
  return MESSAGES[code] ?? 'Scripted error';
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
}

/** The scripted faults waiting for requests. */
export class FaultRegistry {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  inject(rule: FaultRule): { id: number; cancel(): void } {
    const active: ActiveRule = { id: this.nextId++, rule, remaining: rule.times ?? 1 };
    this.rules.push(active);
    return { id: active.id, cancel: () => this.cancel(active.id) };
  }

  cancel(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching the request, consuming one of its uses. */
  take(method: string, path: string): FaultRule | undefined {
    const active = this.rules.find(({ rule }) => matches(rule, method, path));
    if (!active) return undefined;
    if (--active.remaining <= 0) this.cancel(active.id);
    return active.rule;
  }
}

function matches(rule: FaultMatch, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return rule.path === path;
  rule.path.lastIndex = 0; // a /g or /y pattern would otherwise remember the previous match
  return rule.path.test(path);
}
