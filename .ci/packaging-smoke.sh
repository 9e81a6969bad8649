#!/usr/bin/env bash
# Packaging smoke test: what the container image runs, without a Docker engine.
# Packs the connector, installs the tarball with production dependencies only (scripts/install-package.sh, the
# same script the Dockerfile runs), then, from another directory as the platform does, runs the installed
# entrypoint: `spec` must print exactly one SPEC message, and a small `write` against the emulator shipped in the
# package must exit 0 and echo every input state (scripts/demo.mjs checks that).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run build
npm pack --pack-destination "$work" --silent > /dev/null
app="$work/app"
scripts/install-package.sh "$work"/destination-marketo-bulk-*.tgz package-lock.json "$app" --prefer-offline

echo "== production dependencies only"
for dev in typescript vitest ajv yaml @types/node; do
  if [ -e "$app/node_modules/$dev" ]; then echo "dev dependency $dev was installed" >&2; exit 1; fi
done

cd "$work"

echo "== spec"
"$app/entrypoint.sh" spec > spec.out
node --input-type=module - spec.out <<'JS'
import { readFileSync } from 'node:fs';
const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((line) => line !== '');
if (lines.length !== 1) throw new Error(`spec printed ${lines.length} lines, expected 1:\n${lines.join('\n')}`);
const message = JSON.parse(lines[0]);
if (message.type !== 'SPEC' || typeof message.spec?.connectionSpecification !== 'object') {
  throw new Error(`not a SPEC message: ${lines[0].slice(0, 200)}`);
}
console.log(`one SPEC message, ${Object.keys(message.spec.connectionSpecification.properties ?? {}).length} config properties`);
JS

echo "== write against the emulator"
# The examples up to the first state of the last of their three streams: a few files, a few hundred records.
awk '{ print }
  /"type":"STATE"/ { match($0, /"stream_descriptor":\{"name":"[^"]*"/); if (!seen[substr($0, RSTART, RLENGTH)]++ && ++streams == 3) exit }
' "$repo/examples/messages.jsonl" > messages.jsonl
node "$repo/scripts/demo.mjs" \
  --connector "$app/entrypoint.sh" \
  --emulator "$app/dist/emulator/main.js" \
  --messages messages.jsonl

echo "== packaging smoke test passed"
