#!/usr/bin/env bash
# All benchmarks, one after another. Each prints its figures beside its reference run.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/ingest.ts bench/uplink.ts bench/soak.ts; do
  [ -f "$b" ] && node --import tsx "$b"
done
