// `npm run build && node bench/rejects.mjs [--records N] [--runs N]`: what writing rejected records costs.
// The same 100,000 leads are synced with none rejected, then with every one rejected by the connector (a decimal in
// the integer leadScore field), with object_storage_config None (rejects only counted), Local (CSV files in a
// folder) and S3 (s3rver on loopback, a devDependency). Runs alternate, and the medians of wall and CPU time are shown.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';
import { catalog, config, ensureMessages } from './lib/data.mjs';
import { runNode, withEmulator } from './lib/processes.mjs';
import { median } from './lib/report.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
const records = Number(values.records);
const runs = Number(values.runs);

const work = mkdtempSync(path.join(tmpdir(), 'bench-rejects-'));
const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(work, 's3'), configureBuckets: [{ name: 'rejects', configs: [] }] });

try {
  const valid = await ensureMessages(path.join(repoRoot, 'bench/data'), records);
  const rejected = path.join(work, 'rejected.jsonl');
  writeFileSync(rejected, readFileSync(valid, 'utf8').replace(/"lead_score":(\d+)\}/g, '"lead_score":$1.5}'));
  const { port } = await s3.run();
  const variants = [
    { name: 'none rejected', messages: valid, rejects: 0, storage: { storage_type: 'None' } },
    { name: 'all rejected, storage None', messages: rejected, rejects: records, storage: { storage_type: 'None' } },
    { name: 'all rejected, Local CSV', messages: rejected, rejects: records, storage: { storage_type: 'Local', path: path.join(work, 'local') } },
    {
      name: 'all rejected, S3 CSV (s3rver)',
      messages: rejected,
      rejects: records,
      storage: { storage_type: 'S3', access_key_id: 'S3RVER', secret_access_key: 'S3RVER', s3_bucket_name: 'rejects', s3_bucket_region: '', s3_endpoint: `http://127.0.0.1:${port}`, bucket_path: 'bench', format: { format_type: 'CSV' } },
    },
  ];
  const results = new Map(variants.map((v) => [v.name, []]));
  await withEmulator(path.join(repoRoot, 'dist/emulator/main.js'), ['--discard-rows'], async (emulator) => {
    for (let run = 0; run < runs; run++) {
      for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
        const configFile = path.join(work, 'config.json');
        const catalogFile = path.join(work, 'catalog.json');
        // Fast polls, so that the sync that imports is not measured waiting for its next poll.
        writeFileSync(configFile, JSON.stringify({ ...config(emulator.url, { polling: { initial_interval_seconds: 0.1, max_interval_seconds: 0.5 } }), object_storage_config: variant.storage }));
        writeFileSync(catalogFile, JSON.stringify(catalog()));
        const result = await runNode(path.join(repoRoot, 'dist/main.js'), ['write', '--config', configFile, '--catalog', catalogFile], { stdinFile: variant.messages });
        const summary = /Sync summary: (\d+) records, .* (\d+) rejected/.exec(result.stdout);
        if (result.code !== 0 || !summary || Number(summary[2]) !== variant.rejects) {
          throw new Error(`${variant.name}: exit ${result.code}, ${summary?.[0] ?? 'no summary'}\n${result.stderr.slice(-2000)}`);
        }
        results.get(variant.name).push({ wallMs: result.wallMs, cpuMs: result.usage.userMs + result.usage.systemMs, rssMb: result.usage.maxRssBytes / 2 ** 20 });
        rmSync(path.join(work, 'local'), { recursive: true, force: true });
      }
    }
  });
  const base = median(results.get('none rejected').map((r) => r.wallMs));
  console.log(`${records.toLocaleString('en-US')} records, median of ${runs} runs each`);
  console.log('variant                          wall s   CPU s   peak RSS MB   wall vs none rejected');
  for (const [name, rows] of results) {
    const wall = median(rows.map((r) => r.wallMs));
    const cpu = median(rows.map((r) => r.cpuMs));
    const rss = median(rows.map((r) => r.rssMb));
    console.log(`${name.padEnd(32)} ${(wall / 1000).toFixed(2).padStart(6)}  ${(cpu / 1000).toFixed(2).padStart(6)}  ${rss.toFixed(0).padStart(12)}   ${(wall / base).toFixed(2)}×`);
  }
} finally {
  await s3.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
