import type { ObjectStorageConfig, StoredConfig } from '../config/object-storage.js';
import { LocalTarget } from './local-target.js';
import { RejectStore } from './reject-store.js';
import type { StorageTarget } from './storage-target.js';

/** The AWS SDK is loaded only when S3 is configured: it is large, and slow to load. */
async function targetOf(config: StoredConfig): Promise<StorageTarget> {
  if (config.storage_type === 'Local') return new LocalTarget(config);
  const { S3Target } = await import('./s3-target.js');
  return new S3Target(config);
}

/** The store of rejected records the config asks for, or undefined for `None`. */
export async function openRejectStore(config: ObjectStorageConfig, syncId: number | undefined): Promise<RejectStore | undefined> {
  if (config.storage_type === 'None') return undefined;
  const { format_type: formatType, flattening } = config.format;
  const gzip = config.compression.compression_type === 'GZIP';
  return new RejectStore({
    target: await targetOf(config),
    layout: { formatType, flattening, syncId },
    gzip,
    names: {
      prefix: config.storage_type === 'S3' ? config.bucket_path : '',
      pathFormat: config.path_format,
      fileNameFormat: config.file_name_format,
      extension: `${formatType === 'CSV' ? '.csv' : '.jsonl'}${gzip ? '.gz' : ''}`,
      syncId,
    },
  });
}

/** `check`: proves that rejected records can be stored; throws a StorageError that says why not. */
export async function probeStorage(config: ObjectStorageConfig): Promise<void> {
  if (config.storage_type === 'None') return;
  const target = await targetOf(config);
  try {
    await target.probe();
  } finally {
    target.close();
  }
}
