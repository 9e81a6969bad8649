import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, repoRoot } from './helpers.js';

const doc = readFileSync(path.join(repoRoot, 'docs/emulator.md'), 'utf8');

/** The first fenced block of `lang` after `heading`. */
function block(heading: string, lang: string): string {
  const section = doc.slice(doc.indexOf(heading));
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match?.[1]) throw new Error(`No ${lang} block after ${heading}`);
  return match[1];
}

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

describe('docs/emulator.md examples run as written', () => {
  test('the fault scripting example', async () => {
    const js = ts.transpileModule(block('## Scripting faults', 'ts'), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const run = new Function('emulator', `return (async () => {\n${js}\n})();`) as (e: Emulator) => Promise<void>;
    await run(emulator);
    expect(emulator.jobs().filter((j) => j.foreign)).toHaveLength(12);
  });

  test('the control API examples', async () => {
    const payloads = [...block('### Over HTTP', 'sh').matchAll(/curl -X POST "\$URL(\S+)" -d '([^']+)'/g)];
    expect(payloads).toHaveLength(2);
    for (const [, endpoint, body] of payloads) {
      const res = await call(emulator, endpoint!, { method: 'POST', body: body! });
      expect(res.status).toBe(200);
    }
  });
});
