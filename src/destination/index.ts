import { parseConfig } from '../config/load.js';
import { buildSpec } from '../config/spec.js';
import type { Destination, RunContext } from '../protocol/destination.js';
import type { ConfiguredAirbyteCatalog } from '../protocol/messages.js';
import type { LineChunk } from '../protocol/line-chunks.js';
import { toConnectorError } from '../marketo/connector-errors.js';
import { streamKey } from '../protocol/messages.js';
import { openRejectStore } from '../rejects/open.js';
import { MarketoError } from '../marketo/errors.js';
import { checkConnection } from './check.js';
import { discoverOperations } from './discover.js';
import { MappingValidator } from './preflight.js';
import { resolveStreams } from './resolve.js';
import { openSession } from './session.js';
import { planStreams } from './streams.js';
import { WriteSync } from './write.js';

/** The Marketo Bulk Import destination: what `spec`, `check` and `write` do. */
export class MarketoBulkDestination implements Destination {
  spec(): Record<string, unknown> {
    return buildSpec();
  }

  check(config: unknown, ctx: RunContext): ReturnType<typeof checkConnection> {
    return checkConnection(config, ctx);
  }

  discover(config: unknown, ctx: RunContext): ReturnType<typeof discoverOperations> {
    return discoverOperations(config, ctx);
  }

  async write(raw: unknown, catalog: ConfiguredAirbyteCatalog, input: AsyncIterable<LineChunk>, ctx: RunContext): Promise<void> {
    const config = parseConfig(raw, (message) => ctx.out.log('WARN', message));
    const plans = planStreams(config, catalog);
    for (const { stream, generation_id: generation, minimum_generation_id: minimum } of catalog.streams) {
      // A truncating refresh asks for older generations to be deleted, which bulk import cannot do.
      if (generation && minimum === generation) {
        ctx.out.log('WARN', `Stream "${stream.name}": this refresh asks to remove earlier data, but Marketo bulk import cannot delete records; existing records are kept and the new ones upserted`);
      }
    }
    // Every configured stream of a sync carries the same sync_id (the platform's job id).
    const syncId = catalog.streams.find((s) => s.sync_id !== undefined && s.sync_id !== null)?.sync_id ?? undefined;
    const generations = new Map(catalog.streams.map((s) => [streamKey(s.stream.name, s.stream.namespace), s.generation_id ?? 0]));
    const session = openSession(config, ctx);
    try {
      const validator = new MappingValidator(session.describe);
      const streams = await resolveStreams(plans, validator, (message) => ctx.out.log('WARN', message));
      const store = await openRejectStore(config.object_storage_config, syncId);
      await new WriteSync(config, streams, session, ctx, (id, status) => validator.programProblems(id, status), { store, generations }).run(input);
    } catch (error) {
      // Failures outside a job (token, describe calls) get the failure type of their kind too.
      throw error instanceof MarketoError ? toConnectorError(error) : error;
    } finally {
      await session.client.close();
    }
  }
}
