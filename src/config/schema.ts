import { z } from 'zod';
import { ObjectStorage } from './object-storage.js';

// The zod schema is the single source of truth: spec.json, defaults and config errors all derive from it.
// `.prefault({})` (not `.default`) so that nested defaults are applied when a whole group is omitted.

/** Whether Intl knows `zone`, an IANA time zone name. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const MUNCHKIN_ID_PATTERN = /^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/;

const FieldMapping = z
  .object({
    from: z.string().min(1).meta({ title: 'Record field', description: 'Field name in the source record.' }),
    to: z.string().min(1).meta({ title: 'Marketo field', description: 'REST API name of the Marketo field.' }),
  })
  .meta({ title: 'Field mapping' });

const LeadsObject = z
  .object({
    type: z.literal('leads'),
    lookup_field: z.string().min(1).default('email').meta({
      title: 'Lookup field',
      description: 'Lead field used for deduplication (lookupField). Use "id" for update-only imports.',
      examples: ['email', 'id', 'sfdcLeadId'],
    }),
    partition_name: z.string().min(1).optional().meta({
      title: 'Partition name',
      description: 'Lead partition to import into; required when the instance has more than one partition.',
    }),
    list_id: z.int().positive().optional().meta({
      title: 'Static list id',
      description: 'Imported leads also become members of this static list.',
    }),
  })
  .meta({ title: 'Leads' });

const CustomObject = z
  .object({
    type: z.literal('custom_object'),
    api_name: z.string().min(1).meta({
      title: 'Custom object API name',
      description: 'API name of the custom object, e.g. car_c.',
      examples: ['car_c'],
    }),
  })
  .meta({ title: 'Custom object' });

const ProgramMembers = z
  .object({
    type: z.literal('program_members'),
    program_id: z.union([z.string().min(1), z.int().positive()]).meta({
      title: 'Program id',
      description: 'Id of the program whose members are imported.',
      examples: [1001],
    }),
    program_member_status: z.string().min(1).optional().meta({
      title: 'Program member status',
      description: 'Status given to every imported member, one of the program channel statuses. Required unless the action is delete.',
      examples: ['Registered'],
    }),
  })
  .meta({ title: 'Program members' });

export const MarketoObject = z.discriminatedUnion('type', [LeadsObject, CustomObject, ProgramMembers]).meta({
  title: 'Marketo object',
  description: 'The Marketo object the stream is imported into.',
});

export const StreamMapping = z
  .object({
    stream: z.string().min(1).meta({ title: 'Stream', description: 'Name of the Airbyte stream.' }),
    namespace: z.string().optional().meta({ title: 'Namespace', description: 'Namespace of the stream, if any.' }),
    object: MarketoObject,
    action: z.enum(['upsert', 'delete']).default('upsert').meta({
      title: 'Action',
      description:
        'upsert imports every record; delete deletes the record each one names, by the lookup field (leads), the dedupe fields or marketoGUID (custom objects), or email or leadId (program members; program_member_status is then not used).',
    }),
    field_mappings: z.array(FieldMapping).optional().meta({
      title: 'Field mappings',
      description: 'Renames record fields to Marketo field names. Unlisted fields keep their names.',
    }),
  })
  .refine((m) => m.action === 'delete' || m.object.type !== 'program_members' || m.object.program_member_status !== undefined, {
    message: 'program_member_status is required to import program members',
    path: ['object', 'program_member_status'],
  })
  .meta({ title: 'Stream mapping' });

const Batching = z
  .object({
    max_file_bytes: z.int().min(1024).max(10_000_000).default(10_000_000).meta({
      title: 'Maximum file size (bytes)',
      description: 'Upper bound of each import file in UTF-8 bytes, header included. Marketo accepts up to 10 MB.',
    }),
    max_jobs_in_flight: z.int().min(1).max(10).default(4).meta({
      title: 'Maximum jobs in flight',
      description:
        'How many of this sync’s import jobs may be Queued or Importing at once. Marketo runs 2 and queues 10 per instance, shared with other integrations.',
    }),
    flush_interval_seconds: z.number().min(1).max(900).default(600).meta({
      title: 'Flush interval (seconds)',
      description: 'A partly filled file is sent once its oldest row is this old, so that states keep flowing.',
    }),
    encoder_threads: z.int().min(0).max(16).optional().meta({
      title: 'Encoder threads',
      description:
        'Worker threads that parse records and encode them as file rows, in parallel, while the main thread keeps their order. Unset: one per CPU core beyond the first, at most 4 (none on 1 or 2 cores). 0: encode on the main thread.',
    }),
  });

const Polling = z
  .object({
    initial_interval_seconds: z.number().min(0.01).default(5).meta({
      title: 'Initial poll interval (seconds)',
      description: 'First wait before polling a job; grows up to the maximum.',
    }),
    max_interval_seconds: z.number().min(0.01).default(30).meta({
      title: 'Maximum poll interval (seconds)',
      description: 'Longest wait between two polls of the same job.',
    }),
    job_timeout_minutes: z.number().positive().default(360).meta({
      title: 'Job timeout (minutes)',
      description: 'A job that neither completes nor fails within this time fails the sync with a transient error.',
    }),
  });

const RateLimit = z
  .object({
    calls_per_20_seconds: z.int().min(1).max(100).default(50).meta({
      title: 'Calls per 20 seconds',
      description: 'Client-side limit on REST calls. Adobe advises 50; Marketo’s hard limit is 100 per instance.',
    }),
    max_concurrent_calls: z.int().min(1).max(10).default(5).meta({
      title: 'Concurrent calls',
      description: 'Client-side limit on calls in progress. Adobe advises 5; Marketo’s hard limit is 10.',
    }),
  });

const Retry = z
  .object({
    max_attempts: z.int().min(1).max(20).default(8).meta({
      title: 'Maximum attempts',
      description: 'Attempts of one call on transient errors (5xx, 502, 604, 608, 611, ...) before the sync fails.',
    }),
    initial_backoff_seconds: z.number().min(0.01).max(60).default(1).meta({
      title: 'Initial backoff (seconds)',
      description: 'First wait before retrying; doubles with jitter on each attempt.',
    }),
    max_backoff_seconds: z.number().min(0.01).max(600).default(60).meta({
      title: 'Maximum backoff (seconds)',
      description: 'Longest wait between two attempts.',
    }),
    request_timeout_seconds: z.number().min(1).max(600).default(120).meta({
      title: 'Request timeout (seconds)',
      description: 'A call with no answer in this time is abandoned and retried.',
    }),
  });

export const ConfigSchema = z
  .object({
    munchkin_id: z.string().regex(MUNCHKIN_ID_PATTERN).optional().meta({
      title: 'Munchkin id',
      description: 'Your Marketo instance id (Admin > Web Services). Required unless a base URL is given.',
      examples: ['123-ABC-456'],
      order: 0,
    }),
    base_url: z.url({ protocol: /^https?$/ }).optional().meta({
      title: 'Base URL',
      description:
        'Overrides https://{munchkin_id}.mktorest.com, e.g. for a proxy, a sandbox or the local emulator. Identity, bulk and REST paths are appended to it.',
      examples: ['https://123-ABC-456.mktorest.com', 'http://127.0.0.1:8787'],
      order: 1,
    }),
    client_id: z.string().min(1).meta({
      title: 'Client id',
      description: 'Client id of the LaunchPoint custom service.',
      order: 2,
    }),
    client_secret: z.string().min(1).meta({
      title: 'Client secret',
      description: 'Client secret of the LaunchPoint custom service.',
      airbyte_secret: true,
      order: 3,
    }),
    file_format: z.enum(['csv', 'tsv', 'ssv']).default('csv').meta({
      title: 'File format',
      description: 'Delimiter of the import files: comma (csv), tab (tsv) or semicolon (ssv).',
      order: 4,
    }),
    stream_mappings: z.array(StreamMapping).default([]).meta({
      title: 'Stream mappings',
      description:
        'Which Marketo object each stream is imported into. Streams the platform maps itself (data activation) need no entry.',
      order: 5,
    }),
    naive_datetime_time_zone: z
      .string()
      .default('UTC')
      .refine(isTimeZone, { message: 'not an IANA time zone name such as UTC or America/Chicago' })
      .meta({
        title: 'Time zone of datetimes without an offset',
        description:
          'IANA time zone in which datetimes without an offset (timestamp_without_timezone, e.g. 2022-11-22T01:23:45) are read, daylight saving time included, before they are written to Marketo datetime fields with that offset.',
        examples: ['UTC', 'America/Chicago', 'Europe/Berlin'],
        order: 6,
      }),
    batching: Batching.prefault({}).meta({ title: 'Batching', order: 7 }),
    polling: Polling.prefault({}).meta({ title: 'Polling', order: 8 }),
    rate_limit: RateLimit.prefault({}).meta({ title: 'API rate limit', order: 9 }),
    retry: Retry.prefault({}).meta({ title: 'Retries', order: 10 }),
    cdc_deletes: z.enum(['ignore', 'delete', 'remove_from_list']).default('ignore').meta({
      title: 'CDC deletions',
      description:
        'What a record whose _ab_cdc_deleted_at is set does: ignore (counted as rejected, Marketo keeps the record and its history), delete (the record is deleted in Marketo) or remove_from_list (leads mapped with list_id only: the lead leaves that list and is kept).',
      order: 11,
    }),
    object_storage_config: ObjectStorage.meta({ order: 12 }),
  })
  .refine((c) => c.munchkin_id !== undefined || c.base_url !== undefined, {
    message: 'munchkin_id is required unless base_url is given',
    path: ['munchkin_id'],
  })
  .meta({ title: 'Marketo Bulk Import destination' });

export type Config = z.output<typeof ConfigSchema>;
export type StreamMappingConfig = z.output<typeof StreamMapping>;
export type MarketoObjectConfig = z.output<typeof MarketoObject>;
