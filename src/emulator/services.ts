import type { ApiLimits } from './limits.js';
import type { TokenAuthority } from './auth/tokens.js';
import type { FaultRegistry } from './faults.js';
import type { JobEngine } from './jobs/engine.js';
import type { Clock, RuntimeOptions } from './options.js';
import type { Catalog } from './seed/catalog.js';
import type { Stores } from './store/stores.js';
import type { Timeline } from './timeline.js';

/** Everything the request handlers share: one emulated Marketo instance. */
export interface Services {
  credentials: { clientId: string; clientSecret: string };
  options: RuntimeOptions;
  clock: Clock;
  catalog: Catalog;
  stores: Stores;
  engine: JobEngine;
  tokens: TokenAuthority;
  limits: ApiLimits;
  faults: FaultRegistry;
  timeline: Timeline;
  violations: string[];
}
