#!/usr/bin/env node
import { runCli } from './cli.js';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

runCli(process.argv.slice(2), process.stdout, stop.signal).catch((error: unknown) => {
  process.stderr.write(`marketo emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
