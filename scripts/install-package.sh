#!/bin/sh
# Installs a packed connector (the tarball of `npm pack`) the way the container image does: the package's own
# files, the production dependencies at the versions package-lock.json pins, and entrypoint.sh beside dist/.
# The Dockerfile and .ci/packaging-smoke.sh both use it, so the smoke test runs exactly what the image runs.
# Usage: install-package.sh PACKAGE.tgz PACKAGE-LOCK.json DIR [extra npm ci options]
set -eu

[ $# -ge 3 ] || { echo "usage: $0 PACKAGE.tgz PACKAGE-LOCK.json DIR [npm ci options]" >&2; exit 2; }
tarball=$1
lockfile=$2
dir=$3
shift 3
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)

mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir" --strip-components=1
cp "$lockfile" "$dir/package-lock.json"
cp "$here/entrypoint.sh" "$dir/entrypoint.sh"
chmod 755 "$dir/entrypoint.sh"
# The lock pins the versions (npm install honours it, and unlike npm ci tolerates a dev tool's missing optional
# platform package). No dependency needs an install script, so none runs.
cd "$dir"
npm install --omit=dev --ignore-scripts --no-audit --no-fund "$@"
