// Preloaded with `node --import` into every measured process: at exit it writes the process's own peak RSS and CPU
// time to $BENCH_USAGE_FILE. Nothing goes to stdout, which belongs to the connector's protocol.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
// Only this process reports; children it might spawn do not overwrite the file.
delete process.env.BENCH_USAGE_FILE;

if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }),
    );
  });
}
