// `npm run spec`: regenerates spec.json and the README's configuration table from the zod schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withReference } from './reference.js';
import { buildSpec } from './spec.js';

const root = (file: string): string => fileURLToPath(new URL(`../../${file}`, import.meta.url));

writeFileSync(root('spec.json'), `${JSON.stringify(buildSpec(), null, 2)}\n`);
const readme = root('README.md');
writeFileSync(readme, withReference(readFileSync(readme, 'utf8')));
process.stderr.write('wrote spec.json and the README configuration reference\n');
