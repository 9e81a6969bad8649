import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { Progress } from '../../src/pipeline/progress.js';

function setup(isTTY: boolean) {
  let now = 0;
  let stderr = '';
  const stream = Object.assign(new PassThrough(), { isTTY });
  stream.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const logs: string[] = [];
  const progress = new Progress({ stderr: stream, log: (m) => logs.push(m), apiCalls: () => 7, now: () => now });
  return { progress, logs, advance: (ms: number) => (now += ms), stderr: () => stderr };
}

describe('Progress', () => {
  test('on a terminal, redraws one line on stderr, and never logs progress to stdout', async () => {
    const { progress, logs, advance, stderr } = setup(true);
    progress.counters.recordsRead = 5;
    advance(250);
    progress.tick();
    progress.counters.recordsRead = 9;
    progress.tick(); // too soon after the last redraw
    await new Promise((r) => setImmediate(r));
    expect(stderr()).toBe('\r\x1b[2Krecords read 5 | files cut 0 | jobs queued 0, importing 0, complete 0 | rows rejected 0');
    expect(logs).toEqual([]);
  });

  test('elsewhere, logs a progress line at most once every 30 s', () => {
    const { progress, logs, advance } = setup(false);
    progress.counters.recordsRead = 1;
    advance(29_999);
    progress.tick();
    expect(logs).toEqual([]);
    advance(1);
    progress.tick();
    advance(10_000);
    progress.tick();
    expect(logs).toEqual(['Progress: records read 1 | files cut 0 | jobs queued 0, importing 0, complete 0 | rows rejected 0']);
  });

  test('the summary is one log line plus a block on stderr', async () => {
    const { progress, logs, advance, stderr } = setup(false);
    Object.assign(progress.counters, { recordsRead: 10, filesCut: 2, jobsComplete: 2, rowsImported: 9, rowsRejected: 1, rowsWarned: 3 });
    advance(2_000);
    progress.finish();
    await new Promise((r) => setImmediate(r));
    expect(logs).toEqual(['Sync summary: 10 records, 2 files, 2 jobs, 9 imported, 1 rejected, 3 warned, 7 API calls, 2.0 s']);
    expect(stderr()).toContain('rows rejected     1');
    expect(stderr()).toContain('API calls         7');
  });

  test('a sync with deletions shows them and the delete and lookup calls they cost, on the progress line and in the summary', async () => {
    const { progress, logs, advance, stderr } = setup(false);
    Object.assign(progress.counters, { recordsRead: 1000, rowsDeleted: 1000, deleteCalls: 4, lookupCalls: 4 });
    advance(30_000);
    progress.tick();
    progress.finish();
    await new Promise((r) => setImmediate(r));
    expect(logs[0]).toBe('Progress: records read 1000 | files cut 0 | jobs queued 0, importing 0, complete 0 | rows rejected 0 | 1000 deleted (4 delete calls, 4 lookup calls)');
    expect(logs[1]).toBe('Sync summary: 1000 records, 0 files, 0 jobs, 0 imported, 0 rejected, 0 warned, 1000 deleted (4 delete calls, 4 lookup calls), 7 API calls, 30.0 s');
    expect(stderr()).toContain('rows deleted      1000 (4 delete calls, 4 lookup calls)');
  });
});
