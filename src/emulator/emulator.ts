import type { FaultControls } from './controls.js';
import type { JobView } from './jobs/job.js';
import type { EmulatorOptions } from './options.js';
import type { EmulatorStore } from './store/stores.js';
import type { TimelineEntry } from './timeline.js';

/** A running emulated Marketo instance, as startEmulator returns it; the control routes serve it over HTTP. */
export interface Emulator {
  url: string; // e.g. http://127.0.0.1:40123 (no trailing slash)
  close(): Promise<void>;
  store: EmulatorStore; // read access: leads(), customObjects(apiName), programMembers(programId?)
  timeline: readonly TimelineEntry[]; // every request: method, path, auth outcome, file size, jobsInFlight, ...; jobs' start/complete times
  jobs(): JobView[]; // every job with batchId, object, status, rows, counters, queuedAt/startedAt/endedAt, foreign flag
  issuedTokens(): string[]; // every access token ever issued (tests scan output for them)
  violations(): string[]; // e.g. token sent in query string/form field
  faults: FaultControls;
  configure(patch: Partial<EmulatorOptions>): void; // change speed/limits at run time
}
