#!/usr/bin/env bash
# Installs what the tests need (idempotent), then type-checks, lints and runs the whole test suite (the number of
# skipped tests is printed; with CI set, a skipped test fails the run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
npm run --silent typecheck
npm run --silent lint
bash scripts/pack-check.sh
bash scripts/node-test.sh
