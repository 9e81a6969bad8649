#!/bin/sh
# The container's ENTRYPOINT: runs the connector with a V8 heap sized to the container's memory limit.
# Node sizes its default heap from the cgroup limit but lets it grow to nearly all of it, so a busy sync is
# OOM-killed (exit 137) instead of collecting garbage. 75% of the limit leaves room for buffers and native memory.
# An explicit --max-old-space-size in NODE_OPTIONS wins. CGROUP_ROOT exists for tests.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cgroup=${CGROUP_ROOT:-/sys/fs/cgroup}

# Prints the memory limit in bytes (cgroup v2, then v1); nothing when unlimited or unknown.
memory_limit() {
  for file in "$cgroup/memory.max" "$cgroup/memory/memory.limit_in_bytes"; do
    [ -r "$file" ] || continue
    read -r value < "$file" || continue
    case $value in
      '' | *[!0-9]*) continue ;; # "max" means no limit
    esac
    echo "$value"
    return
  done
}

heap_flag=
case " ${NODE_OPTIONS:-} " in
  *--max-old-space-size*) ;;
  *)
    limit=$(memory_limit)
    # cgroup v1 reports "no limit" as a number near 2^63; anything past 1 TiB is treated the same way.
    if [ -n "$limit" ] && [ "$limit" -lt 1099511627776 ]; then
      heap_flag="--max-old-space-size=$((limit / 1048576 * 3 / 4))"
    fi
    ;;
esac

exec node ${heap_flag:+"$heap_flag"} "$here/dist/main.js" "$@"
