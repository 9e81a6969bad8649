/**
 * The private temporary folder of one run, named after the process that owns it, so that a later run can tell the
 * folders left by runs that were killed (kill -9, out of memory) from those of syncs still running, and remove them:
 * they hold customer data.
 *
 * A pid alone is not enough to tell: pids are reused, and in a container every run may well get the same one. So the
 * name also records the process's start time (from /proc/<pid>/stat, in clock ticks since boot) and its pid namespace:
 * a live process with that pid but another start time is a reused pid, and a folder made in another pid namespace
 * (another container sharing the folder) is left alone, since its process cannot be seen from here. Where /proc is
 * missing (not Linux) both are recorded as 0 and the pid alone decides: a reused pid then keeps a leftover folder until
 * that process ends, which errs on the side of never touching a running sync's data.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'destination-marketo-bulk-';
/** PREFIX, pid, start time, pid namespace, then mkdtemp's six random characters. */
const NAME = /^destination-marketo-bulk-(\d+)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

interface Owner {
  pid: number;
  startTime: number;
  pidNamespace: number;
}

/** Creates the folder of this run (mode 0700), in the system's temporary folder by default. */
export function createRunFolder(dir = tmpdir()): string {
  return mkdtempSync(path.join(dir, `${PREFIX}${process.pid}-${startTimeOf(process.pid)}-${ownPidNamespace()}-`));
}

/**
 * Removes the folders of earlier runs whose process is gone, and returns their paths. Only folders of the same user
 * are touched; anything that cannot be examined or removed is left as it is.
 */
export function removeLeftoverFolders(dir = tmpdir()): string[] {
  const uid = process.getuid?.();
  if (uid === undefined) return []; // no owner to compare with (Windows)
  const pidNamespace = ownPidNamespace();
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const owner: Owner = { pid: Number(match[1]), startTime: Number(match[2]), pidNamespace: Number(match[3]) };
    const folder = path.join(dir, name);
    try {
      const stat = lstatSync(folder);
      if (!stat.isDirectory() || stat.uid !== uid) continue;
      if (owner.pidNamespace !== pidNamespace || isRunning(owner)) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Removed meanwhile by another run, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = startTimeOf(owner.pid);
  return owner.startTime === 0 || startTime === 0 || startTime === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat, or 0 where it cannot be read. */
function startTimeOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]) || 0;
  } catch {
    return 0;
  }
}

/** The inode of this process's pid namespace, or 0 where it cannot be read. */
function ownPidNamespace(): number {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1]) || 0;
  } catch {
    return 0;
  }
}
