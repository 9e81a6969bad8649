#!/usr/bin/env bash
# The README's promise: a clone with nothing beside it (no ../shared reference folder) passes `npm ci && npm test`.
# The committed HEAD is cloned into a fresh temporary folder, and the conformance tests must skip there, not fail.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$PWD" "$tmp/repo"
cd "$tmp/repo"
echo "== fresh clone of $(git rev-parse --short HEAD) in $tmp/repo, nothing beside it"
unset MARKETO_BULK_REFERENCE_DIR
npm ci --no-audit --no-fund
npm test
