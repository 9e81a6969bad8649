#!/usr/bin/env bash
# The test suite under Node 24, the version the container image ships (.ci/run covers Node 20, the minimum).
# The Node 24 binary comes from the npm package node-linux-<arch>@24, put first on PATH so that npm, npx, vitest
# and every process the tests spawn (process.execPath) run on it.
set -euo pipefail
cd "$(dirname "$0")/.."

node_dir=$(mktemp -d)
trap 'rm -rf "$node_dir"' EXIT
package="node-linux-$(node -p process.arch)@24"
npm install --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund --silent "$package"
export PATH="$node_dir/node_modules/node-linux-$(node -p process.arch)/bin:$PATH"

echo "== node $(node --version), npm $(npm --version)"
case $(node --version) in
  v24.*) ;;
  *) echo "expected Node 24 first on PATH, got $(node --version)" >&2; exit 1 ;;
esac
npm run build
npx vitest run
