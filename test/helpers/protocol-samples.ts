/** One valid message of every type the connector reads or writes, with the optional parts filled in. */
export const samples = {
  record: {
    type: 'RECORD',
    record: { stream: 'leads', namespace: 'crm', data: { email: 'a@b.c' }, emitted_at: 1, future_field: [1] },
  },
  legacyState: { type: 'STATE', state: { data: { cursor: 3 }, id: 7 } },
  streamState: {
    type: 'STATE',
    state: {
      type: 'STREAM',
      id: 1,
      stream: { stream_descriptor: { name: 'leads' }, stream_state: { c: 'x' } },
      sourceStats: { recordCount: 1.0 },
    },
  },
  globalState: {
    type: 'STATE',
    state: {
      type: 'GLOBAL',
      global: { shared_state: { lsn: 9 }, stream_states: [{ stream_descriptor: { name: 'a', namespace: 'n' } }] },
    },
  },
  log: { type: 'LOG', log: { level: 'WARN', message: 'careful' } },
  errorTrace: {
    type: 'TRACE',
    trace: { type: 'ERROR', emitted_at: 5, error: { message: 'boom', failure_type: 'transient_error' } },
  },
  streamStatus: {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: 5,
      stream_status: {
        stream_descriptor: { name: 'leads' },
        status: 'INCOMPLETE',
        reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: 10 } }],
      },
    },
  },
  connectionStatus: { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'bad secret' } },
  spec: { type: 'SPEC', spec: { connectionSpecification: { type: 'object' }, supported_destination_sync_modes: ['append'] } },
  destinationCatalog: {
    type: 'DESTINATION_CATALOG',
    destination_catalog: {
      operations: [{ object_name: 'lead', sync_mode: 'append_dedup', json_schema: {}, matching_keys: [['email']] }],
    },
  },
};
