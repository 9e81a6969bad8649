import { z } from 'zod';

// `object_storage_config`, declared exactly as Airbyte's data activation destinations declare it: the platform reads
// this key (snake_case) to link to the rejected records of a sync. `Local` is our extension for runs outside Airbyte.

/** AWS region codes, plus "" for S3-compatible stores that have none. */
export const S3_REGIONS = [
  '',
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
] as const;

const FLATTENINGS = ['No flattening', 'Root level flattening'] as const;

const flattening = z.enum(FLATTENINGS).default('No flattening').meta({
  title: 'Flattening',
  description: 'No flattening: the record is one JSON value in _airbyte_data. Root level flattening: its top-level fields are columns (CSV) or keys (JSONL) of their own.',
});

const Format = z
  .discriminatedUnion('format_type', [
    z.object({ format_type: z.literal('CSV'), flattening }).meta({ title: 'CSV: Comma-Separated Values' }),
    z.object({ format_type: z.literal('JSONL'), flattening }).meta({ title: 'JSON Lines: Newline-delimited JSON' }),
  ])
  .meta({
    title: 'Output Format',
    description: 'Format of the files of rejected records.',
    default: { format_type: 'CSV', flattening: 'No flattening' },
  });

const Compression = z
  .discriminatedUnion('compression_type', [
    z.object({ compression_type: z.literal('No Compression') }).meta({ title: 'No Compression' }),
    z.object({ compression_type: z.literal('GZIP') }).meta({ title: 'GZIP' }),
  ])
  .default({ compression_type: 'No Compression' })
  .meta({ title: 'Compression', description: 'GZIP compresses each file and adds .gz to its name.' });

const pathFormat = z.string().default('{sync_id}/{namespace}/{stream_name}/').meta({
  title: 'Path Format',
  description: 'Folder of each stream’s files below the prefix path. Placeholders: {sync_id}, {namespace}, {stream_name}, {date}, {timestamp}.',
});

const fileNameFormat = z.string().default('{date}_{timestamp}_{part_number}{format_extension}').meta({
  title: 'File Name Format',
  description: 'Name of each file. Placeholders: {date}, {timestamp}, {part_number}, {format_extension}, {sync_id}, {namespace}, {stream_name}.',
});

const NoStorage = z.object({ storage_type: z.literal('None') }).meta({ title: 'None', description: 'Rejected records are only logged and counted.' });

const S3Storage = z
  .object({
    storage_type: z.literal('S3'),
    access_key_id: z.string().optional().meta({
      title: 'S3 Key ID',
      description: 'Access key id of a user allowed to put and delete objects in the bucket. Leave empty to use the environment’s credentials.',
      airbyte_secret: true,
      order: 0,
    }),
    secret_access_key: z.string().optional().meta({
      title: 'S3 Access Key',
      description: 'Secret access key of that user.',
      airbyte_secret: true,
      order: 1,
    }),
    role_arn: z.string().optional().meta({
      title: 'Role ARN',
      description: 'A role to assume, with the keys above (or the environment’s credentials), to write the files.',
      examples: ['arn:aws:iam::123456789012:role/rejected-records'],
      order: 2,
    }),
    s3_bucket_name: z.string().min(1).meta({ title: 'S3 Bucket Name', description: 'Bucket the rejected records are written to.', examples: ['airbyte-rejects'], order: 3 }),
    s3_bucket_region: z.enum(S3_REGIONS).meta({ title: 'S3 Bucket Region', description: 'Region of the bucket; "" for S3-compatible stores without regions.', order: 4 }),
    s3_endpoint: z.string().optional().meta({
      title: 'S3 Endpoint',
      description: 'Endpoint of an S3-compatible store (path-style addressing is used when set). Leave empty for AWS.',
      examples: ['http://localhost:9000'],
      order: 5,
    }),
    bucket_path: z.string().meta({ title: 'Prefix Path in the Bucket', description: 'Prefix of every object key.', examples: ['marketo/rejects'], order: 6 }),
    format: Format.meta({ order: 7 }),
    compression: Compression.meta({ order: 8 }),
    path_format: pathFormat.meta({ order: 9 }),
    file_name_format: fileNameFormat.meta({ order: 10 }),
  })
  .meta({ title: 'S3' });

const LocalStorage = z
  .object({
    storage_type: z.literal('Local'),
    path: z.string().min(1).meta({ title: 'Folder', description: 'Folder the files are written to (created if missing). For runs outside Airbyte.', examples: ['./rejects'] }),
    format: Format.prefault({ format_type: 'CSV' }),
    compression: Compression,
    path_format: pathFormat,
    file_name_format: fileNameFormat,
  })
  .meta({ title: 'Local folder' });

export const ObjectStorage = z
  .discriminatedUnion('storage_type', [NoStorage, S3Storage, LocalStorage])
  .default({ storage_type: 'None' })
  .meta({
    title: 'Object Storage Configuration',
    description: 'Where rejected records are written: every row Marketo failed or the connector rejected, with the reason.',
  });

export type ObjectStorageConfig = z.output<typeof ObjectStorage>;
export type S3StorageConfig = z.output<typeof S3Storage>;
export type LocalStorageConfig = z.output<typeof LocalStorage>;
export type StoredConfig = S3StorageConfig | LocalStorageConfig;
