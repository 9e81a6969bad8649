// The error taxonomy: every Marketo failure becomes one typed error with a stable machine code and a kind that
// tells the client what to do. Source: Marketo error codes (reference notes, section 2).

/** What the client does about an error. */
export type ErrorKind =
  | 'retry' // transient: exponential backoff with jitter, bounded
  | 'throttle' // rate or concurrency limit: wait for the window, then retry
  | 'quota' // daily quota: stop cleanly
  | 'refresh' // token invalid or expired: new token, retry once
  | 'queue_full' // the instance's import queue is full: wait, retry the create
  | 'config' // the user must fix credentials, permissions, fields or targets
  | 'fatal'; // anything else

const KIND_BY_CODE: Record<string, ErrorKind> = {
  '502': 'retry',
  '604': 'retry',
  '608': 'retry',
  '611': 'retry',
  '614': 'retry',
  '713': 'retry',
  '719': 'retry',
  '606': 'throttle',
  '615': 'throttle',
  '607': 'quota',
  '601': 'refresh',
  '602': 'refresh',
  '1016': 'queue_full',
  '603': 'config',
  '1006': 'config',
  '1008': 'config',
  '1009': 'config',
  '1010': 'config',
  '610': 'config',
  '1013': 'config',
};

const MACHINE_CODE: Record<ErrorKind, string> = {
  retry: 'MARKETO_TRANSIENT',
  throttle: 'MARKETO_RATE_LIMIT',
  quota: 'MARKETO_DAILY_QUOTA',
  refresh: 'MARKETO_TOKEN',
  queue_full: 'MARKETO_QUEUE_FULL',
  config: 'MARKETO_CONFIG',
  fatal: 'MARKETO_ERROR',
};

export function kindOfCode(code: string): ErrorKind {
  return KIND_BY_CODE[code] ?? 'fatal';
}

export function kindOfHttpStatus(status: number): ErrorKind {
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  return 'fatal';
}

/** A failed Marketo call: an error envelope (HTTP 200, success:false), an HTTP status, or a network fault. */
export class MarketoError extends Error {
  readonly kind: ErrorKind;
  /** Stable machine code, e.g. MARKETO_QUEUE_FULL. */
  readonly machineCode: string;

  constructor(
    message: string,
    kind: ErrorKind,
    readonly details: { code?: string; httpStatus?: number; path?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'MarketoError';
    this.kind = kind;
    this.machineCode = MACHINE_CODE[kind];
  }

  get code(): string | undefined {
    return this.details.code;
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }

  static fromEnvelope(code: string, message: string, path: string): MarketoError {
    return new MarketoError(`Marketo error ${code}: ${message}`, kindOfCode(code), { code, path });
  }

  static fromHttp(status: number, path: string, body: string): MarketoError {
    const kind = status === 413 ? 'config' : kindOfHttpStatus(status);
    const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    return new MarketoError(`HTTP ${status} from Marketo ${path}${snippet ? `: ${snippet}` : ''}`, kind, {
      httpStatus: status,
      path,
    });
  }

  static fromNetwork(error: unknown, path: string): MarketoError {
    const reason = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    return new MarketoError(`Network error calling Marketo ${path} (${reason})`, 'retry', { path, cause: error });
  }
}

/** The identity endpoint refused the client id or secret (HTTP 401). */
export class InvalidCredentialsError extends MarketoError {
  constructor(detail: string) {
    super(`Marketo rejected the client id/secret (${detail}). Check client_id and client_secret of the LaunchPoint service.`, 'config', {
      httpStatus: 401,
    });
    this.name = 'InvalidCredentialsError';
  }
}

/** What a user should do about a code they may see; used in error messages and the README's troubleshooting table. */
export const ADVICE: Record<string, string> = {
  '603': 'The API user lacks a permission (Read-Write Lead / Read-Write Custom Object) or the IP is not allowlisted.',
  '607': 'The daily API quota is used up; it resets at midnight US Central time (America/Chicago). Run the sync again after that.',
  '610': 'The custom object or program does not exist in this instance.',
  '1013': 'The object does not exist in this instance.',
  '1006': 'A column names a field the object does not have; fix field_mappings or the stream schema.',
  '1008': 'The API user has no access to the lead partition; check partition_name and the user’s role.',
  '1009': 'The instance has several lead partitions; set partition_name on the leads mapping.',
  '1010': 'The partition of an existing lead cannot be changed by an import.',
};
