import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, withMessages } from '../helpers/sync.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

async function check(config: Record<string, unknown>) {
  const result = withMessages(await runCli(['check', '--config', tempJson(config, 'config.json')]));
  expect(result.code).toBe(0);
  const statuses = result.messages.filter((m) => m.type === 'CONNECTION_STATUS');
  expect(statuses).toHaveLength(1);
  return statuses[0]!.connectionStatus as { status: string; message?: string };
}

describe('check', () => {
  test('succeeds with good credentials and valid mappings for the three objects', async () => {
    const status = await check(
      emulatorConfig(emulator, {
        stream_mappings: [
          { stream: 'a', object: { type: 'leads', lookup_field: 'loyaltyId' } },
          { stream: 'b', object: { type: 'custom_object', api_name: 'car_c' } },
          { stream: 'c', object: { type: 'program_members', program_id: 1001, program_member_status: 'Attended' } },
        ],
      }),
    );
    expect(status).toEqual({ status: 'SUCCEEDED' });
  });

  test('a wrong secret, an unreachable host and a missing permission are three different messages', async () => {
    const wrong = await check({ ...emulatorConfig(emulator), client_secret: 'not-the-secret' });
    expect(wrong.status).toBe('FAILED');
    expect(wrong.message).toMatch(/client id\/secret/);

    const unreachable = await check({ ...emulatorConfig(emulator), base_url: 'http://127.0.0.1:9' });
    expect(unreachable.status).toBe('FAILED');
    expect(unreachable.message).toMatch(/Cannot reach Marketo at http:\/\/127\.0\.0\.1:9/);

    emulator.faults.inject({ path: /describe2/, kind: 'marketo', code: '603', times: 1 });
    const denied = await check(emulatorConfig(emulator));
    expect(denied.status).toBe('FAILED');
    expect(denied.message).toMatch(/denied access \(603\).*Read-Write Lead/);

    expect(new Set([wrong.message, unreachable.message, denied.message]).size).toBe(3);
  });

  test('reports every mapping problem in one message, each naming its mapping', async () => {
    const status = await check(
      emulatorConfig(emulator, {
        stream_mappings: [
          { stream: 'a', object: { type: 'leads', lookup_field: 'shoeSize' } },
          { stream: 'b', object: { type: 'leads', lookup_field: 'firstName' } },
          { stream: 'c', object: { type: 'custom_object', api_name: 'boat_c' } },
          { stream: 'd', object: { type: 'program_members', program_id: 4242, program_member_status: 'Attended' } },
          { stream: 'e', object: { type: 'program_members', program_id: 1002, program_member_status: 'Attended' } },
          { stream: 'ok', object: { type: 'custom_object', api_name: 'car_c' } },
        ],
      }),
    );
    expect(status.status).toBe('FAILED');
    const lines = status.message!.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/"a".*"shoeSize" is not a lead field/);
    expect(lines[1]).toMatch(/"b".*"firstName".*cannot be a lookup field/);
    expect(lines[2]).toMatch(/"c".*custom object "boat_c" does not exist/);
    expect(lines[3]).toMatch(/"d".*program 4242 does not exist/);
    expect(lines[4]).toMatch(/"e".*"Attended" is not a status of program 1002.*Member, Subscribed/);
  });

  test('lookup_field must match the field name exactly; a case-only difference gets a hint', async () => {
    const status = await check(emulatorConfig(emulator, { stream_mappings: [{ stream: 'a', object: { type: 'leads', lookup_field: 'Email' } }] }));
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/lookup_field "Email" is not a lead field \(did you mean "email"\? Names are case-sensitive\)/);
  });

  test('an invalid config is FAILED naming the key, with exit 0', async () => {
    const status = await check({ client_id: 'x', client_secret: 'y', munchkin_id: 'nope' });
    expect(status.status).toBe('FAILED');
    expect(status.message).toContain('munchkin_id');
  });
});

describe('program member statuses that cannot be imported', () => {
  const notInProgram = { stream: 'c', object: { type: 'program_members', program_id: 1001, program_member_status: 'Not in Program' } };

  test('check is FAILED naming the status and the statuses an import can set', async () => {
    const status = await check(emulatorConfig(emulator, { stream_mappings: [notInProgram] }));
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/"Not in Program" cannot be imported into program 1001 .*step 0.*Invited, Registered, No Show, Attended$/m);
  });

  test('write is a config_error before any job runs', async () => {
    const config = tempJson(emulatorConfig(emulator, { stream_mappings: [notInProgram] }), 'config.json');
    const catalog = tempJson({ streams: [{ stream: { name: 'c', json_schema: { properties: { email: { type: 'string' } } }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }, 'catalog.json');
    const result = withMessages(await runCli(['write', '--config', config, '--catalog', catalog], { stdin: '{"type":"RECORD","record":{"stream":"c","data":{"email":"a@example.com"},"emitted_at":1}}\n' }));
    expect(result.code).toBe(1);
    expect(result.traces.map((t) => (t.error as { failure_type: string }).failure_type)).toEqual(['config_error']);
    expect((result.traces[0]!.error as { message: string }).message).toContain('"Not in Program" cannot be imported into program 1001');
    expect(emulator.jobs()).toEqual([]);
  });
});
