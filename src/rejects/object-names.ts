// Where each file of rejects goes: `bucket_path` / `path_format` / `file_name_format`, with Airbyte's placeholders.

export interface NameFormats {
  /** bucket_path (S3); '' for Local, whose folder is the root. */
  prefix: string;
  pathFormat: string;
  fileNameFormat: string;
  /** `.csv` or `.jsonl`, then `.gz` when compressed. */
  extension: string;
  syncId: number | undefined;
}

export interface FileOfStream {
  name: string;
  namespace?: string;
  /** When the file was opened. */
  at: Date;
  /** 0, 1, 2... for the files of one stream in one run. */
  part: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** {date} as Airbyte's S3 destination writes it: yyyy_MM_dd, in UTC. */
const dateOf = (at: Date): string => `${at.getUTCFullYear()}_${pad(at.getUTCMonth() + 1)}_${pad(at.getUTCDate())}`;

function fill(format: string, values: Record<string, string>): string {
  return format.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A placeholder value is one path segment: a slash in a stream name must not open a folder. */
const segment = (value: string): string => value.replace(/\//g, '_');

/** The object key (or relative file path) of one file; empty segments (no namespace, no prefix) collapse. */
export function objectKey(formats: NameFormats, file: FileOfStream): string {
  const values = {
    // Outside Airbyte there is no sync id; files of one run still share a folder.
    sync_id: formats.syncId === undefined ? 'no_sync_id' : String(formats.syncId),
    namespace: segment(file.namespace ?? ''),
    stream_name: segment(file.name),
    date: dateOf(file.at),
    timestamp: String(file.at.getTime()),
    part_number: String(file.part),
    format_extension: formats.extension,
  };
  // As in Airbyte's S3 destination the path format is followed directly by the file name: the default ends with '/'.
  return `${formats.prefix}/${fill(formats.pathFormat, values)}${fill(formats.fileNameFormat, values)}`
    .split('/')
    .filter((part) => part !== '')
    .join('/');
}
