// Polling that keeps the defaults' proportions on jobs of another length. The defaults (first poll after 5 s,
// at most 30 s between polls) are sized for Marketo jobs of about a minute; on a job that takes `jobSeconds`,
// the same behaviour is both intervals × jobSeconds / 60.

/** CSV bytes per row of the bench data as the connector writes it (measured: 90.6). */
export const CSV_BYTES_PER_ROW = 90.6;
const DEFAULT_POLLING = { initial_interval_seconds: 5, max_interval_seconds: 30 };
const DEFAULT_JOB_SECONDS = 60;

/** Seconds a full file of `maxFileBytes` takes at `rowsPerSecond`. */
export function fullJobSeconds(maxFileBytes, rowsPerSecond) {
  return maxFileBytes / CSV_BYTES_PER_ROW / rowsPerSecond;
}

/** The default polling settings scaled to jobs of `jobSeconds`. */
export function scaledPolling(jobSeconds) {
  const k = DEFAULT_JOB_SECONDS / jobSeconds;
  return {
    initial_interval_seconds: DEFAULT_POLLING.initial_interval_seconds / k,
    max_interval_seconds: DEFAULT_POLLING.max_interval_seconds / k,
  };
}
