#!/usr/bin/env bash
# Runs the whole test suite (dist/, after `npm run build`) one file at a time and prints how many tests were skipped.
# A test skips only through needs() (src/testing/needs.ts) and only when CI is unset: with CI set, a skipped test
# fails the run here too, whatever skipped it. The tests run with TMPDIR set to a directory of their own: a file or
# directory a test leaves there fails the run (it is named, then removed).
# Usage: bash scripts/node-test.sh [FILE|DIR ...]   (default dist/; scripts/test.sh runs it after install and lint)
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 22+ runs a directory given to --test as a file: directories are expanded to their *.test.js files here.
files=()
for arg in "${@:-dist/}"; do
  if [ -d "$arg" ]; then mapfile -t -O "${#files[@]}" files < <(find "$arg" -name '*.test.js' -type f | sort); else files+=("$arg"); fi
done

# A lab run killed before its teardown (SIGKILL, or the machine's previous session ended mid-run) leaves its namespaces
# and owner file behind. They are no leftover of this run, yet the tests' leftover checks would count them: `lab down`
# removes what dead runs left (never a live run's) before any test runs, and says what it removed.
if [ "$(id -u)" = 0 ] && [ -f dist/cli/main.js ]; then
  node dist/cli/main.js lab down | sed 's/^/node-test: before the tests, lab down: /'
fi

tap=$(mktemp)
scratch=$(mktemp -d)
chmod 1777 "$scratch" # what /tmp is: lab servers' workers and unprivileged test processes use it too
trap 'rm -f "$tap"; rm -rf "$scratch"' EXIT
rc=0
TMPDIR="$scratch" node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${files[@]}" || rc=$?
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$tap" | tail -n 1; }
skipped=$(count skipped)
echo "node-test: $(count tests) tests, $(count pass) passed, $(count fail) failed, ${skipped:-?} skipped, $(count todo) todo"
if [ -z "$skipped" ]; then
  echo "node-test: the runner printed no summary" >&2
  rc=1
elif [ -n "${CI:-}" ] && [ "$skipped" != 0 ]; then
  echo "node-test: CI=$CI and $skipped test(s) skipped: under CI every test runs (install what they need)" >&2
  rc=1
fi
left=$(find "$scratch" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
if [ -n "$left" ]; then
  echo "node-test: the tests left these in their temporary directory (each test removes what it creates):" >&2
  echo "$left" | sed 's/^/  /' >&2
  rc=1
fi
exit "$rc"
