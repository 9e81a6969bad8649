import type { Emulator } from '../../src/emulator/index.js';
import type { ClientOptions } from '../../src/marketo/client.js';

/** A MarketoClient aimed at the emulator, with backoffs short enough for tests. */
export function emulatorClientOptions(emulator: Emulator, overrides: Partial<ClientOptions> = {}): ClientOptions {
  return {
    baseUrl: emulator.url,
    clientId: 'emulator-client-id',
    clientSecret: 'emulator-client-secret',
    callsPer20Seconds: 100,
    maxConcurrentCalls: 10,
    maxAttempts: 3,
    initialBackoffMs: 1,
    maxBackoffMs: 5,
    requestTimeoutMs: 5_000,
    onToken: () => undefined,
    ...overrides,
  };
}
