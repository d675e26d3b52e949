#!/usr/bin/env bash
# The whole test suite: type-check, then every test file under test/ with Node's runner.
# Node 20 does not expand globs and passes silently on zero tests, so the file list is
# explicit and a run that executed no test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc -p tsconfig.json --noEmit

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
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${passed:-0}" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
