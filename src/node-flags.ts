/**
 * The V8 settings the connector runs with.
 *
 * The old generation grows by 10 % over what survived its last collection, instead of V8's default of up to 4×: a sync
 * keeps little for long, and the default let a 4M-record run's heap grow to 85–115 MB between collections, where 1M
 * records never got there (peak RSS 210–219 MB at 4M, 176 MB at 1M). With it, both stayed near 150 MB, for about 6 %
 * more CPU. The flag is the whole process's, and encoder threads, which parse, then collect far more often: with
 * threads it is 100 % (4M records: 191 MB; 10 % cost them about 20 % more CPU). V8 reads it whenever it sizes a heap,
 * so it is set in place, on every Node version.
 *
 * The main thread's young generation is sized for the work it does:
 * - Node 24 lets the young generation grow to 32 MB semi-spaces (Node 20: 16), which measured about 35 MB more peak
 *   RSS on the same sync, at the same speed as 8 MB when records are encoded on the main thread.
 * - With encoder threads, the main thread makes so little JavaScript garbage that a large young generation is
 *   collected rarely, and the input's dead buffers pile up between collections (up to about 60 MB); 1 MB semi-spaces
 *   keep them few, at no measurable cost in speed. Encoding on the main thread, so small a young generation costs
 *   about 15 % more CPU (BENCHMARKS.md).
 * V8 reads the size only when it starts, so the CLI starts itself again with it where Node can replace its process in
 * place (process.execve, Node 22.15 and later: same process id, stdio and signals), before it has read any input.
 * On older Node, Node's default applies.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { defaultEncoderThreads } from './encoding/encoder-pool.js';

export const SEMI_SPACE_FLAG = '--max-semi-space-size';
export const HEAP_GROWING_FLAG = '--heap-growing-percent';

/** How far the old generation may grow over what survived its last collection, in %. */
export function heapGrowingPercent(encoderThreads: number): number {
  return encoderThreads > 0 ? 100 : 10;
}

/** MB per semi-space of the main thread's young generation, for a sync with `encoderThreads` encoder threads. */
export function semiSpaceMb(encoderThreads: number): number {
  return encoderThreads > 0 ? 1 : 8;
}

/**
 * The encoder threads a command will use: batching.encoder_threads of its --config file, or else the default for
 * the cores. Anything unreadable counts as unset; the command itself reports it.
 */
export function encoderThreadsOf(args: readonly string[], cores?: number): number {
  const at = args.indexOf('--config');
  try {
    const threads: unknown = at === -1 ? undefined : JSON.parse(readFileSync(args[at + 1]!, 'utf8'))?.batching?.encoder_threads;
    if (Number.isInteger(threads) && (threads as number) >= 0) return threads as number;
  } catch {
    // The runner reads the config again and reports what is wrong with it.
  }
  return defaultEncoderThreads(cores);
}

/**
 * The node options to start again with (the semi-space size first, then the options this process had), or undefined
 * when a size is already given: on the command line, in NODE_OPTIONS, by whoever started the process.
 */
export function restartNodeArgs(execArgv: readonly string[], nodeOptions: string, encoderThreads: number): string[] | undefined {
  if (given(SEMI_SPACE_FLAG, execArgv, nodeOptions)) return undefined;
  return [`${SEMI_SPACE_FLAG}=${semiSpaceMb(encoderThreads)}`, ...execArgv];
}

/** Whether `flag` was given on the command line or in NODE_OPTIONS; V8 reads `_` and `-` in flag names alike. */
function given(flag: string, execArgv: readonly string[], nodeOptions: string): boolean {
  const is = (arg: string): boolean => arg.replaceAll('_', '-').startsWith(flag);
  return execArgv.some(is) || nodeOptions.split(/\s+/).some(is);
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * Sets the connector's V8 flags: in place where V8 allows, else by replacing this process, where Node can.
 * `encoderThreads` is what the command will use: by default, what its --config file says.
 */
export function applyNodeFlags(encoderThreads?: number): void {
  const threads = encoderThreads ?? encoderThreadsOf(process.argv.slice(2));
  const nodeOptions = process.env.NODE_OPTIONS ?? '';
  if (!given(HEAP_GROWING_FLAG, process.execArgv, nodeOptions)) setFlagsFromString(`${HEAP_GROWING_FLAG}=${heapGrowingPercent(threads)}`);
  const execve = (process as { execve?: Execve }).execve;
  if (typeof execve !== 'function') return;
  const nodeArgs = restartNodeArgs(process.execArgv, nodeOptions, threads);
  if (!nodeArgs) return;
  try {
    execve(process.execPath, [process.execPath, ...nodeArgs, ...process.argv.slice(1)], process.env);
  } catch {
    // Not allowed here (a permission model, say): run as started, with Node's defaults.
  }
}
