/**
 * Reuses the file-sized buffers that CSV files are built in. Without it every file allocates a fresh
 * max_file_bytes buffer and drops it after upload, and how many of those wait for the garbage collector at once
 * decides peak memory; with it the count of such buffers is fixed.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly keep = 2,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Hands back a buffer (or a view from its start) that nothing reads any more. */
  give(view: Buffer): void {
    if (this.free.length >= this.keep || view.byteOffset !== 0 || view.buffer.byteLength !== this.size) return;
    this.free.push(Buffer.from(view.buffer, 0, this.size));
  }
}
