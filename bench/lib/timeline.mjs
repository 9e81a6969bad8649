// Figures read from the emulator's record of requests and jobs.

const IDENTITY = /^\/identity\//;
const CREATE = /^\/bulk\/v1\/leads\.json$/;

/** REST calls (what Marketo's quota counts: identity calls are free), split by what they were for. */
export function callCounts(timeline) {
  const requests = timeline.filter((e) => e.kind === 'request');
  const rest = requests.filter((e) => !IDENTITY.test(e.path));
  const bulk = rest.filter((e) => e.path.startsWith('/bulk/'));
  return {
    identity: requests.length - rest.length,
    rest: rest.length,
    /** Calls about import jobs: creates, status polls, failure and warning downloads. */
    job: bulk.length,
    creates: bulk.filter((e) => CREATE.test(e.path)).length,
  };
}

/**
 * How long the client kept Marketo's import pipeline in use, in ms: from the arrival of its first upload to the end
 * of its last bulk call (the poll that found the last job Complete).
 */
export function pipelineSpanMs(timeline) {
  const bulk = timeline.filter((e) => e.kind === 'request' && e.path.startsWith('/bulk/'));
  const first = bulk.find((e) => CREATE.test(e.path));
  if (!first) throw new Error('no upload in the timeline');
  return Math.max(...bulk.map((e) => e.endedAt ?? e.at)) - first.at;
}

/** Sizes of the uploaded files in the order the client sent them. */
export function uploadedFiles(timeline) {
  return timeline.filter((e) => e.kind === 'request' && CREATE.test(e.path) && e.fileBytes !== undefined).map((e) => e.fileBytes);
}

/**
 * Mean file size ÷ max_file_bytes over all files but the last (this bench has one stream). Files are taken in the
 * order their uploads arrived, which is the order the connector cut them: the batchIds are not, since a short last
 * file can finish uploading before the full one started just before it.
 */
export function fileFill(timeline, maxFileBytes) {
  const files = uploadedFiles(timeline).slice(0, -1);
  if (files.length === 0) return undefined;
  return files.reduce((sum, bytes) => sum + bytes, 0) / files.length / maxFileBytes;
}

function importingMs(jobs) {
  return jobs.filter((j) => j.startedAt !== undefined && j.endedAt !== undefined).map((j) => j.endedAt - j.startedAt);
}

/** Mean time from start to end of the jobs that ran, in ms. */
export function meanJobMs(jobs) {
  const durations = importingMs(jobs);
  return durations.reduce((sum, ms) => sum + ms, 0) / durations.length;
}

/** The share of `slots` import slots over `spanMs` that were importing this client's jobs. */
export function slotUse(jobs, slots, spanMs) {
  return importingMs(jobs).reduce((sum, ms) => sum + ms, 0) / (slots * spanMs);
}
