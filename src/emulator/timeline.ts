/** How the emulator judged a request's credentials. */
export type AuthOutcome =
  | 'ok'
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'token-in-query'
  | 'token-in-form'
  | 'not-required' // identity endpoint
  | 'not-checked'; // answered before authentication (615 or a scripted fault)

export type ImportObject = 'leads' | 'customObjects' | 'programMembers' | 'foreign';

export interface RequestEntry {
  kind: 'request';
  seq: number;
  at: number;
  endedAt?: number;
  method: string;
  /** Path without the query string (which may carry credentials). */
  path: string;
  auth: AuthOutcome;
  /** HTTP status; absent while in flight or when the connection was reset. */
  status?: number;
  /** Marketo error code of a `success:false` envelope. */
  code?: string;
  /** Which scripted fault answered the request, if any. */
  fault?: string;
  /** Bytes of the uploaded file part (imports only). */
  fileBytes?: number;
  /** Queued + Importing jobs, foreign ones included, when the request arrived. */
  jobsInFlight: number;
  batchId?: number;
}

export interface JobEntry {
  kind: 'job';
  seq: number;
  at: number;
  event: 'queued' | 'started' | 'completed' | 'failed';
  batchId: number;
  object: ImportObject;
  foreign: boolean;
}

export type TimelineEntry = RequestEntry | JobEntry;

type Omitted<T> = Omit<T, 'kind' | 'seq'>;

/** Every request and job transition, in the order they happened. */
export class Timeline {
  private readonly list: TimelineEntry[] = [];

  get entries(): readonly TimelineEntry[] {
    return this.list;
  }

  /** Records an arriving request; the returned entry is completed as the request is answered. */
  request(entry: Omitted<RequestEntry>): RequestEntry {
    const full: RequestEntry = { kind: 'request', seq: this.list.length, ...entry };
    this.list.push(full);
    return full;
  }

  job(entry: Omitted<JobEntry>): void {
    this.list.push({ kind: 'job', seq: this.list.length, ...entry });
  }
}
