#!/usr/bin/env bash
# The whole test suite: the Debian packages it needs (installed when missing, as root),
# type-check, then every test file under test/ with Node's runner. Node 20 does not expand
# globs and passes silently on zero tests, so the file list is explicit and a run that
# executed no test fails. Cancelled tests (a file that timed out or crashed) count as
# failures in the summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh
npx tsc -p tsconfig.json --noEmit
# Integration tests run the gateway as it ships: the bundle in dist/.
node scripts/build.mjs

mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under test/" >&2
  exit 1
fi

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
status=0
node --import tsx --test --test-concurrency=2 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${files[@]}" || status=$?

passed=$(grep -E '^# pass [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
failed=$(grep -E '^# fail [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
skipped=$(grep -E '^# skipped [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
cancelled=$(grep -E '^# cancelled [0-9]+' "$tap" | awk '{print $3}' | tail -n 1)
failed=$(( ${failed:-0} + ${cancelled:-0} ))
echo "${passed:-0} passed, ${failed} failed (${cancelled:-0} of them cancelled), ${skipped:-0} skipped"
if [ "${passed:-0}" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
[ "$failed" -gt 0 ] && [ "$status" -eq 0 ] && status=1
exit "$status"
