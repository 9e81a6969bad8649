#!/usr/bin/env node
// Generates examples/config.json, examples/catalog.json and examples/messages.jsonl.
// Deterministic (seeded PRNG, fixed clock): running it again must reproduce the committed files byte for byte.
// Usage: node scripts/make-examples.mjs [output directory, default examples/]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './lib/prng.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'examples'));

const EMITTED_AT = Date.UTC(2026, 0, 15, 9, 0, 0);
const COUNTS = { crm_contacts: 1200, vehicles: 900, webinar_registrations: 600 };

const random = mulberry32(20260115);
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (list) => list[int(0, list.length - 1)];
const chance = (p) => random() < p;
const pad = (n, width) => String(n).padStart(width, '0');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoSeconds = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

// [display name, ASCII handle for the email address]; some names exercise UTF-8 and CSV quoting.
const FIRST = [['Ada', 'ada'], ['Zoë', 'zoe'], ['José', 'jose'], ['Łukasz', 'lukasz'], ['Mia', 'mia'], ['Noah', 'noah'],
  ['Priya', 'priya'], ['美咲', 'misaki'], ['Liam', 'liam'], ['Olga', 'olga'], ['Kwame', 'kwame'], ['Sofía', 'sofia'],
  ['Ethan', 'ethan'], ['Aiko', 'aiko'], ['Lucas', 'lucas'], ['Fatima', 'fatima']];
const LAST = [["O'Brien", 'obrien'], ['Müller', 'mueller'], ['García', 'garcia'], ['田中', 'tanaka'], ['Smith', 'smith'],
  ['Nguyen', 'nguyen'], ['Kowalski', 'kowalski'], ['Okafor', 'okafor'], ['Rossi', 'rossi'], ['Dubois', 'dubois'],
  ['Andersson', 'andersson'], ['Patel', 'patel']];
const COMPANIES = ['Acme, Inc.', 'The "Best" Widgets Co', 'Globex; Ltd', 'Initech', 'Umbrella Corp', 'Stark Industries',
  'Wayne Enterprises', 'Müller & Söhne GmbH', 'Soylent, Green & Co', 'Hooli', 'Pied Piper', '株式会社サンプル'];
const TITLES = ['VP, Sales', 'CTO', 'Marketing Manager', 'Data Engineer', 'Head of "Growth"', 'Analyst', 'CEO', 'Buyer'];
const PLACES = [['Paris', 'France'], ['Berlin', 'Germany'], ['Tokyo', 'Japan'], ['Austin', 'United States'],
  ['São Paulo', 'Brazil'], ['Lagos', 'Nigeria'], ['Kraków', 'Poland'], ['Toronto', 'Canada']];
const LANGUAGES = ['en', 'fr', 'de', 'ja', 'pt-BR', 'pl', 'es'];
const CARS = [['Toyota', 'Corolla'], ['Ford', 'F-150'], ['Tesla', 'Model 3, Long Range'], ['Volkswagen', 'Golf'],
  ['Honda', 'Civic'], ['Renault', 'Zoé'], ['BMW', '3 Series']];
const COLORS = ['Black', 'Silver', 'Pearl "Snow" White', 'Red', 'Blue, metallic', 'Green'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];

// Each stream: its Marketo object and its fields (record name, Marketo name, JSON type). The catalog, the config's
// field_mappings and the records all come from this one table, so they cannot drift apart.
const STREAMS = [
  {
    name: 'crm_contacts',
    object: { type: 'leads', lookup_field: 'email' },
    primaryKey: 'email',
    syncMode: 'append_dedup',
    fields: [
      ['email', 'email', 'string'],
      ['first_name', 'firstName', 'string'],
      ['last_name', 'lastName', 'string'],
      ['company', 'company', 'string'],
      ['job_title', 'title', 'string'],
      ['phone', 'phone', 'string'],
      ['lead_score', 'leadScore', 'integer'],
      ['annual_revenue', 'annualRevenue', 'number'],
      ['unsubscribed', 'unsubscribed', 'boolean'],
      ['city', 'city', 'string'],
      ['country', 'country', 'string'],
      ['loyalty_id', 'loyaltyId', 'string'],
      ['preferred_language', 'preferredLanguage', 'string'],
      ['last_purchase_at', 'lastPurchaseAt', 'date-time'],
    ],
  },
  {
    name: 'vehicles',
    object: { type: 'custom_object', api_name: 'car_c' },
    primaryKey: 'vin',
    syncMode: 'append_dedup',
    fields: [
      ['vin', 'vin', 'string'],
      ['make', 'make', 'string'],
      ['model', 'model', 'string'],
      ['color', 'color', 'string'],
      ['year', 'year', 'integer'],
      ['purchase_date', 'purchaseDate', 'date'],
      ['owner_email', 'ownerEmail', 'string'],
    ],
  },
  {
    name: 'webinar_registrations',
    object: { type: 'program_members', program_id: 1001, program_member_status: 'Registered' },
    primaryKey: 'email',
    syncMode: 'append',
    fields: [
      ['email', 'email', 'string'],
      ['first_name', 'firstName', 'string'],
      ['last_name', 'lastName', 'string'],
      ['company', 'company', 'string'],
      ['registration_code', 'registrationCode', 'string'],
    ],
  },
];

function jsonType(type) {
  if (type === 'date') return { type: ['null', 'string'], format: 'date' };
  if (type === 'date-time') return { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
  return { type: ['null', type] };
}

function catalog() {
  return {
    streams: STREAMS.map((s) => ({
      stream: {
        name: s.name,
        json_schema: {
          type: 'object',
          properties: Object.fromEntries(s.fields.map(([from, , type]) => [from, jsonType(type)])),
        },
        supported_sync_modes: ['full_refresh', 'incremental'],
      },
      sync_mode: 'incremental',
      destination_sync_mode: s.syncMode,
      primary_key: [[s.primaryKey]],
    })),
  };
}

function config() {
  return {
    base_url: 'http://127.0.0.1:8787',
    client_id: 'emulator-client-id',
    client_secret: 'emulator-client-secret',
    stream_mappings: STREAMS.map((s) => {
      const renames = s.fields.filter(([from, to]) => from !== to).map(([from, to]) => ({ from, to }));
      return { stream: s.name, object: s.object, ...(renames.length > 0 ? { field_mappings: renames } : {}) };
    }),
    // Small files and quick polls so that the demo shows several jobs within seconds.
    batching: { max_file_bytes: 50_000, max_jobs_in_flight: 4, flush_interval_seconds: 5 },
    polling: { initial_interval_seconds: 0.05, max_interval_seconds: 0.5 },
  };
}

function person(i) {
  const [first, firstHandle] = pick(FIRST);
  const [last, lastHandle] = pick(LAST);
  return { email: `${firstHandle}.${lastHandle}.${i}@${pick(DOMAINS)}`, first_name: first, last_name: last };
}

function contacts(n) {
  return Array.from({ length: n }, (_, i) => {
    const p = person(i);
    const [city, country] = pick(PLACES);
    return {
      ...p,
      company: pick(COMPANIES),
      job_title: pick(TITLES),
      phone: chance(0.8) ? `+1-555-${pad(int(0, 9999), 4)}` : null,
      lead_score: int(0, 100),
      annual_revenue: chance(0.7) ? int(10_000, 50_000_000) + int(0, 99) / 100 : null,
      unsubscribed: chance(0.1),
      city,
      country,
      loyalty_id: `LOY-${pad(100_000 + i, 6)}`,
      preferred_language: pick(LANGUAGES),
      last_purchase_at: chance(0.6) ? isoSeconds(EMITTED_AT - int(0, 400) * 86_400_000 - int(0, 86_399) * 1000) : null,
    };
  });
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function vehicles(n, owners) {
  return Array.from({ length: n }, () => {
    const [make, model] = pick(CARS);
    return {
      vin: Array.from({ length: 17 }, () => pick(VIN_CHARS)).join(''),
      make,
      model,
      color: pick(COLORS),
      year: int(2008, 2026),
      purchase_date: isoDate(EMITTED_AT - int(0, 3650) * 86_400_000),
      owner_email: pick(owners).email,
    };
  });
}

function registrations(n, contacts) {
  // Most registrants are known contacts, each registered once; the rest are new leads that the import creates.
  const known = contacts.map(({ email, first_name, last_name }) => ({ email, first_name, last_name }));
  for (let i = known.length - 1; i > 0; i--) {
    const j = int(0, i);
    [known[i], known[j]] = [known[j], known[i]];
  }
  return Array.from({ length: n }, (_, i) => {
    const p = i < known.length && chance(0.7) ? known[i] : person(100_000 + i);
    return { ...p, company: pick(COMPANIES), registration_code: `WEB26-${pad(i + 1, 5)}` };
  });
}

/** Rows Marketo itself treats specially, so that the demo shows a warning and rejected rows. */
function plantEdgeCases(data) {
  data.crm_contacts[137].email = 'kim.lee(at)example.com'; // invalid address: imported with a warning
  data.crm_contacts[842].email = ''; // no lookup value: the row fails
  data.vehicles[401].vin = ''; // no dedupe value: the row fails
}

/** Records of all streams in source-like chunks, each chunk followed by its stream's STATE. */
function* interleave(data) {
  const next = Object.fromEntries(STREAMS.map((s) => [s.name, 0]));
  let stateId = 0;
  let emitted = 0;
  for (;;) {
    const open = STREAMS.filter((s) => next[s.name] < data[s.name].length);
    if (open.length === 0) return;
    const stream = pick(open).name;
    const start = next[stream];
    const end = Math.min(start + int(40, 160), data[stream].length);
    for (let i = start; i < end; i++) {
      const record = { stream, data: data[stream][i], emitted_at: EMITTED_AT + 100 * emitted++ };
      yield { type: 'RECORD', record };
    }
    next[stream] = end;
    const state = {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: { cursor: isoSeconds(EMITTED_AT + 1000 * end) } },
      sourceStats: { recordCount: end - start },
      // The platform adds this id to every state and expects it back.
      id: ++stateId,
    };
    yield { type: 'STATE', state };
  }
}

const data = { crm_contacts: contacts(COUNTS.crm_contacts) };
data.vehicles = vehicles(COUNTS.vehicles, data.crm_contacts);
data.webinar_registrations = registrations(COUNTS.webinar_registrations, data.crm_contacts);
plantEdgeCases(data);

mkdirSync(outDir, { recursive: true });
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(path.join(outDir, 'config.json'), json(config()));
writeFileSync(path.join(outDir, 'catalog.json'), json(catalog()));
const lines = [...interleave(data)].map((m) => JSON.stringify(m));
writeFileSync(path.join(outDir, 'messages.jsonl'), `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${lines.length} messages to ${path.relative(process.cwd(), outDir) || '.'}\n`);
