#!/usr/bin/env bash
# All benchmarks, one after another. Each prints its figures beside its reference or target.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null
for b in bench/ingest.ts bench/pipeline.ts bench/uplink.ts bench/alerts.ts bench/viewer.ts bench/forward.ts bench/soak.ts; do
  node --import tsx "$b"
done
