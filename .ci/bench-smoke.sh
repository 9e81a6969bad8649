#!/usr/bin/env bash
# The benchmark at its smoke size, so that `npm run bench` cannot rot: every scenario runs on small inputs (20,000
# records), on this Node and on Node 24 (installed from npm, as node24.sh does), in about half a minute, prints its
# table and writes bench/results/smoke-latest.json. CI does not judge the
# figures, which mean little at this size on a shared runner; the bench fails only when a run breaks (the connector
# exits non-zero, an input state is not echoed, a record is not imported, a process misbehaves).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_SIZE=smoke npm run bench
test -s bench/results/smoke-latest.json
