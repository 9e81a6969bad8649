import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, expect, test } from 'vitest';
import { createRunFolder, removeLeftoverFolders } from '../../src/pipeline/run-folder.js';
import { testTempDir } from '../helpers/temp-dir.js';

let dir: string;
/** pid, start time and pid namespace of this process, as its own folder's name records them. */
let self: { pid: string; startTime: string; pidNamespace: string };

beforeEach(() => {
  dir = testTempDir('run-folders-');
  const [pid, startTime, pidNamespace] = path.basename(createRunFolder(dir)).split('-').slice(3, 6) as [string, string, string];
  self = { pid, startTime, pidNamespace };
});

/** A folder named as the run of `pid` would name it, with a customer file in it. */
function folder(pid: string | number, startTime = self.startTime, pidNamespace = self.pidNamespace): string {
  const made = path.join(dir, `destination-marketo-bulk-${pid}-${startTime}-${pidNamespace}-AbC123`);
  mkdirSync(made);
  writeFileSync(path.join(made, 'file-1.csv'), 'email\na@example.com\n');
  return made;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  return pid!;
}

test('the name of a run folder records its pid, start time and pid namespace; the folder is private', () => {
  expect(self.pid).toBe(String(process.pid));
  if (process.platform === 'linux') {
    expect(Number(self.startTime)).toBeGreaterThan(0);
    expect(Number(self.pidNamespace)).toBeGreaterThan(0);
  }
  const [own] = readdirSync(dir);
  expect(statSync(path.join(dir, own!)).mode & 0o777).toBe(0o700);
});

test('a folder whose process is gone is removed; one whose process runs is kept', () => {
  const leftover = folder(deadPid());
  const running = readdirSync(dir).map((name) => path.join(dir, name)).filter((f) => f !== leftover);
  expect(removeLeftoverFolders(dir)).toEqual([leftover]);
  expect(existsSync(leftover)).toBe(false);
  expect(running).toHaveLength(1);
  expect(existsSync(running[0]!)).toBe(true);
});

test.runIf(process.platform === 'linux')('a live pid with another start time is a reused pid: its folder is removed', () => {
  const reused = folder(process.pid, String(Number(self.startTime) + 1));
  expect(removeLeftoverFolders(dir)).toEqual([reused]);
});

test('folders from another pid namespace, of an unknown name, or that are not folders are left alone', () => {
  const otherNamespace = folder(deadPid(), self.startTime, String(Number(self.pidNamespace) + 1));
  const oldStyle = path.join(dir, 'destination-marketo-bulk-Xy12Zw');
  mkdirSync(oldStyle);
  const file = path.join(dir, `destination-marketo-bulk-${deadPid()}-1-${self.pidNamespace}-QwErTy`);
  writeFileSync(file, '');
  expect(removeLeftoverFolders(dir)).toEqual([]);
  for (const kept of [otherNamespace, oldStyle, file]) expect(existsSync(kept)).toBe(true);
});

test.runIf(process.getuid?.() === 0)("another user's folder is left alone", () => {
  const theirs = folder(deadPid());
  chownSync(theirs, 65534, 65534);
  expect(removeLeftoverFolders(dir)).toEqual([]);
  expect(existsSync(theirs)).toBe(true);
});
