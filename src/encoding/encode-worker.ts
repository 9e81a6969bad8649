// A worker thread of the encoder pool: encodes each chunk it is sent and hands the rows back, buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkEncoder, transferablesOf, type EncoderPlan } from './chunk-encoder.js';
import type { LineChunk } from '../protocol/line-chunks.js';

const port = parentPort;
if (!port) throw new Error('encode-worker.js runs as a worker thread of the encoder pool');
const encoder = new ChunkEncoder(workerData as EncoderPlan);
port.on('message', (chunk: LineChunk) => {
  const encoded = encoder.encode(chunk);
  port.postMessage(encoded, transferablesOf(encoded));
});
