// How big each scenario is. `full` is what the issue asks for and takes about 5 minutes; `smoke` runs every
// scenario on small inputs in seconds, so that CI notices when the bench breaks (its figures mean little).

export const SIZES = {
  full: {
    throughput: { records: 1_000_000, runs: 3 },
    memory: { records: 4_000_000 },
    pipeline: { records: 300_000, maxFileBytes: 1_000_000, rowsPerSecond: 50_000, runs: 3 },
    // Five files of about 10 MB (default max_file_bytes), each a minute of importing, run 20× faster.
    apiCalls: { records: 550_000, maxFileBytes: 10_000_000, scale: 20 },
  },
  smoke: {
    throughput: { records: 20_000, runs: 1 },
    memory: { records: 40_000 },
    pipeline: { records: 20_000, maxFileBytes: 200_000, rowsPerSecond: 10_000, runs: 1 },
    apiCalls: { records: 20_000, maxFileBytes: 500_000, scale: 200 },
  },
};
