/** The protocol layer: a small Airbyte destination CDK that knows nothing about Marketo. */
export * from './destination.js';
export * from './errors.js';
export * from './line-chunks.js';
export * from './messages.js';
export * from './reader.js';
export * from './redact.js';
export * from './runner.js';
export * from './writer.js';
