#!/usr/bin/env bash
# Installs what the tests need (idempotent), then type-checks, lints and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
npm run --silent typecheck
npm run --silent lint
bash scripts/pack-check.sh
node --test --test-concurrency=1 --test-reporter=spec dist/
