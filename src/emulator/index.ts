import type { AddressInfo } from 'node:net';
import { TokenAuthority } from './auth/tokens.js';
import { faultControls } from './controls.js';
import type { Emulator } from './emulator.js';
import { FaultRegistry } from './faults.js';
import { JobEngine } from './jobs/engine.js';
import { ApiLimits } from './limits.js';
import { applyRuntimePatch, resolveRuntimeOptions, type EmulatorOptions } from './options.js';
import { assetRoutes } from './routes/assets.js';
import { bulkImportRoutes } from './routes/bulk-import.js';
import { controlHandler } from './routes/control.js';
import { describeRoutes } from './routes/describe.js';
import { identityRoutes } from './routes/identity.js';
import { Catalog } from './seed/catalog.js';
import { createEmulatorServer } from './server.js';
import type { Services } from './services.js';
import { Stores } from './store/stores.js';
import { Timeline } from './timeline.js';

export type { Emulator } from './emulator.js';
export type { EmulatorOptions, Clock } from './options.js';
export type { EmulatorSeed, SeedField, SeedLeadField, SeedCustomObject, SeedChannel, SeedProgram } from './seed/types.js';
export type { EmulatorStore, StoredRecord, StoreCounts, Page } from './store/stores.js';
export type { TimelineEntry, RequestEntry, JobEntry, AuthOutcome, ImportObject } from './timeline.js';
export type { JobView, JobStatus } from './jobs/job.js';
export type { FaultControls } from './controls.js';
export type { FaultRule, FaultMatch, FaultKind } from './faults.js';
export type { FailJobSpec } from './jobs/engine.js';
export { defaultSeed } from './seed/defaults.js';
export { parseSeed } from './seed/parse.js';

const routes = [...identityRoutes, ...bulkImportRoutes, ...describeRoutes, ...assetRoutes];

/** Starts an emulated Marketo instance on its own HTTP port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? { now: () => Date.now() };
  const runtime = resolveRuntimeOptions(options);
  const catalog = new Catalog(options.seed);
  const timeline = new Timeline();
  const stores = new Stores(catalog);
  const engine = new JobEngine(runtime, clock, timeline, options.discardRows ?? false);
  const services: Services = {
    credentials: {
      clientId: options.clientId ?? 'emulator-client-id',
      clientSecret: options.clientSecret ?? 'emulator-client-secret',
    },
    options: runtime,
    clock,
    catalog,
    stores,
    engine,
    tokens: new TokenAuthority(clock, () => runtime.tokenLifetimeSeconds),
    limits: new ApiLimits(runtime, clock),
    faults: new FaultRegistry(),
    timeline,
    violations: [],
  };

  const shutdown = new AbortController();
  const server = createEmulatorServer(services, routes, controlHandler(() => emulator), shutdown.signal);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const emulator: Emulator = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: async () => {
      shutdown.abort();
      engine.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    store: stores.view(() => engine.advance()),
    get timeline() {
      engine.advance();
      return timeline.entries;
    },
    jobs: () => engine.list().map((job) => job.view(clock.now())),
    issuedTokens: () => services.tokens.issued(),
    violations: () => [...services.violations],
    faults: faultControls(services),
    configure: (patch) => {
      applyRuntimePatch(runtime, patch);
      engine.reconfigured();
    },
  };
  return emulator;
}
