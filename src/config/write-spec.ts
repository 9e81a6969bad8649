// `npm run spec`: regenerates spec.json at the repository root from the zod schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSpec } from './spec.js';

const target = fileURLToPath(new URL('../../spec.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildSpec(), null, 2)}\n`);
process.stderr.write(`wrote ${target}\n`);
