// Throughput baseline: the least a destination can do with its input. Reads NDJSON on stdin with readline and
// JSON.parses every line, nothing else. Prints the number of lines parsed to stderr.
import { createInterface } from 'node:readline';

let lines = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line !== '') JSON.parse(line);
  lines++;
}
process.stderr.write(`${lines} lines\n`);
