// Preloaded with `node --import` into every measured process: at exit it writes the process's own peak RSS and CPU
// time to $BENCH_USAGE_FILE. Nothing goes to stdout, which belongs to the connector's protocol.
// With $BENCH_MEMORY_SAMPLE_MS set, it also samples memory every that many ms (RSS, V8 heap, young generation,
// arrayBuffers, external) and writes the samples, and the sample taken at peak RSS, next to the usage.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

// The variables stay set: the connector may replace itself (process.execve, same process) and must report again.
// Worker threads, which preload this too, do not report: usage is the process's.
const file = isMainThread ? process.env.BENCH_USAGE_FILE : undefined;
const sampleMs = Number(process.env.BENCH_MEMORY_SAMPLE_MS ?? 0);

const samples = [];
const started = performance.now();

/** One sample, in bytes: memoryUsage() plus the committed size of the young generation (V8's new space). */
function sample() {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const youngGeneration = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  return { ms: Math.round(performance.now() - started), rss, heapTotal, heapUsed, youngGeneration, external, arrayBuffers };
}

if (file) {
  if (sampleMs > 0) setInterval(() => samples.push(sample()), sampleMs).unref();
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const memory = sampleMs > 0 ? { samples, atPeak: samples.reduce((a, b) => (b.rss > (a?.rss ?? 0) ? b : a), undefined) } : {};
    writeFileSync(
      file,
      JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, ...memory }),
    );
  });
}
