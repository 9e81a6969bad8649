#!/usr/bin/env node
import { MarketoBulkDestination } from './destination/index.js';
import { main } from './protocol/runner.js';

main(new MarketoBulkDestination());
