import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './index.js';
import { parseSeed } from './seed/parse.js';

const USAGE = `Usage: marketo-emulator [options]
  --port N                    listen port (default 0: any free port)
  --host H                    listen address (default 127.0.0.1)
  --client-id ID              accepted client id (default emulator-client-id)
  --client-secret S           accepted client secret (default emulator-client-secret)
  --token-lifetime-seconds N  access token lifetime (default 3600)
  --rows-per-second N         import speed per importing job (default Infinity = instant)
  --job-latency-ms N          fixed extra time per job (default 0)
  --max-importing N           jobs importing at once (default 2)
  --max-queued N              queued + importing jobs before 1016 (default 10)
  --rate-limit CALLS/SECONDS  606 beyond this rate, or "off" (default 100/20)
  --concurrency-limit N       615 beyond N concurrent calls, or "off" (default 10)
  --daily-quota N             607 after N calls a day, or "off" (default off)
  --missing-token-code CODE   601 or 603 for a call without a token (default 603)
  --empty-cells MODE          clear or keep the stored value for an empty cell (default clear)
  --discard-rows              complete jobs without storing their rows (for benchmarks)
  --report-columns MODE       drop-empty or all: columns of failures/warnings files (default drop-empty)
  --envelope MODE             docs or swagger: keys of success envelopes (default docs)
  --create-status MODE        queued or live: what a create call answers (default queued)
  --accept-form-token         accept an access token in the multipart form field access_token
  --seed FILE                 JSON seed: leadFields, customObjects, channels, programs, programMemberFields
Prints the base URL on one line, then runs until SIGINT or SIGTERM.`;

function number(name: string, value: string): number {
  const n = value === 'Infinity' ? Infinity : Number(value);
  if (Number.isNaN(n)) throw new Error(`--${name} expects a number, got '${value}'`);
  return n;
}

function choice<const T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} expects ${allowed.join(' or ')}, got '${value}'`);
  return value as T;
}

function limit(name: string, value: string): number | false {
  return value === 'off' ? false : number(name, value);
}

/** Turns command line flags into emulator options (reading the seed file if one is given). */
export async function parseCliArgs(argv: string[]): Promise<EmulatorOptions | 'help'> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-lifetime-seconds': { type: 'string' },
      'rows-per-second': { type: 'string' },
      'job-latency-ms': { type: 'string' },
      'max-importing': { type: 'string' },
      'max-queued': { type: 'string' },
      'rate-limit': { type: 'string' },
      'concurrency-limit': { type: 'string' },
      'daily-quota': { type: 'string' },
      'missing-token-code': { type: 'string' },
      'empty-cells': { type: 'string' },
      seed: { type: 'string' },
      'discard-rows': { type: 'boolean' },
      'report-columns': { type: 'string' },
      envelope: { type: 'string' },
      'create-status': { type: 'string' },
      'accept-form-token': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const options: EmulatorOptions = {};
  const numeric = [
    ['port', 'port'],
    ['token-lifetime-seconds', 'tokenLifetimeSeconds'],
    ['rows-per-second', 'rowsPerSecond'],
    ['job-latency-ms', 'jobLatencyMs'],
    ['max-importing', 'maxImporting'],
    ['max-queued', 'maxQueued'],
  ] as const;
  for (const [flag, key] of numeric) {
    const value = values[flag];
    if (value !== undefined) options[key] = number(flag, value);
  }
  if (values.host !== undefined) options.host = values.host;
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  const rate = values['rate-limit'];
  if (rate !== undefined) {
    const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(rate);
    if (rate !== 'off' && !m) throw new Error(`--rate-limit expects CALLS/SECONDS or "off", got '${rate}'`);
    options.rateLimit = m ? { calls: Number(m[1]), windowSeconds: Number(m[2]) } : false;
  }
  if (values['concurrency-limit'] !== undefined) options.concurrencyLimit = limit('concurrency-limit', values['concurrency-limit']);
  if (values['daily-quota'] !== undefined) options.dailyQuota = limit('daily-quota', values['daily-quota']);
  const code = values['missing-token-code'];
  if (code !== undefined) {
    if (code !== '601' && code !== '603') throw new Error(`--missing-token-code expects 601 or 603, got '${code}'`);
    options.missingTokenCode = code;
  }
  const empty = values['empty-cells'];
  if (empty !== undefined) options.emptyCells = choice('empty-cells', empty, ['clear', 'keep']);
  const reportColumns = values['report-columns'];
  if (reportColumns !== undefined) options.reportColumns = choice('report-columns', reportColumns, ['drop-empty', 'all']);
  if (values.envelope !== undefined) options.envelope = choice('envelope', values.envelope, ['docs', 'swagger']);
  const createStatus = values['create-status'];
  if (createStatus !== undefined) options.createStatus = choice('create-status', createStatus, ['queued', 'live']);
  if (values['discard-rows']) options.discardRows = true;
  if (values['accept-form-token']) options.acceptFormToken = true;
  if (values.seed !== undefined) options.seed = parseSeed(JSON.parse(await readFile(values.seed, 'utf8')));
  return options;
}

/** Runs the emulator until `signal` aborts; the base URL is the only line written to `out`. */
export async function runCli(argv: string[], out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  const options = await parseCliArgs(argv);
  if (options === 'help') {
    out.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startEmulator(options);
  out.write(`${emulator.url}\n`);
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  await emulator.close();
}
