#!/usr/bin/env node
import { applyNodeFlags } from './node-flags.js';

// Before anything else is loaded: this may replace the process with one started under the connector's V8 flags.
applyNodeFlags();
const { MarketoBulkDestination } = await import('./destination/index.js');
const { main } = await import('./protocol/runner.js');
main(new MarketoBulkDestination());
