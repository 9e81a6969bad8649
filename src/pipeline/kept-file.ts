import { rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRunFolder, removeLeftoverFolders } from './run-folder.js';

/**
 * A private temporary folder for one run; removed at the end of the run and, as a last resort, at process exit. A run
 * that is killed cannot remove it, so each new one first removes those of earlier runs that are gone.
 */
export class TempDir {
  readonly path: string;
  private count = 0;
  private readonly onExit = (): void => this.remove();

  /** `onLeftoverRemoved` is told each folder of an earlier run that was removed. */
  constructor(onLeftoverRemoved: (folder: string) => void = () => undefined) {
    removeLeftoverFolders().forEach(onLeftoverRemoved);
    this.path = createRunFolder();
    process.once('exit', this.onExit);
  }

  nextFile(): string {
    return path.join(this.path, `file-${++this.count}.csv`);
  }

  remove(): void {
    process.removeListener('exit', this.onExit);
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * The bytes of a cut file, kept until its job is Complete so that a Failed job can be sent again and failed rows
 * matched back. They stay in memory until the scheduler moves them to a temp file (`spill`).
 */
export class KeptFile {
  private memory: Buffer | undefined;
  private file: string | undefined;
  private spilling = false;
  readonly byteLength: number;

  constructor(
    bytes: Buffer,
    private readonly dir: TempDir,
    /** Told when the bytes have left memory, so their buffer can be reused. */
    private readonly onRelease: (bytes: Buffer) => void = () => undefined,
  ) {
    this.memory = bytes;
    this.byteLength = bytes.length;
  }

  read(): Promise<Buffer> {
    return this.memory ? Promise.resolve(this.memory) : readFile(this.file!);
  }

  async spill(): Promise<void> {
    const bytes = this.memory;
    if (!bytes || this.spilling) return;
    this.spilling = true;
    const file = this.dir.nextFile();
    try {
      // Customer data: readable by its owner only, like the folder.
      await writeFile(file, bytes, { mode: 0o600 });
    } finally {
      this.spilling = false;
    }
    if (this.memory === bytes) {
      this.file = file;
      this.memory = undefined;
    } else {
      // Discarded while being written: its job ended meanwhile.
      await rm(file, { force: true });
    }
    this.onRelease(bytes);
  }

  async discard(): Promise<void> {
    const bytes = this.memory;
    this.memory = undefined;
    // A spill still writing the bytes gives them back once it is done with them.
    if (bytes && !this.spilling) this.onRelease(bytes);
    if (this.file) await rm(this.file, { force: true });
  }
}
