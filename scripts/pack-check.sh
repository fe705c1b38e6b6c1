#!/usr/bin/env bash
# The npm package installs globally and runs: `npm pack`, `npm install -g` of the tarball into a temporary prefix,
# then the installed `synguard` prints its help, reads the kernel (status), lists bans, loads the native SQLite module
# and installs its service files under a temporary root (contrib/ is in the package); docs/, the man page and the
# completions must be in the package, and npm must link the man page.
#
# better-sqlite3 13 ships its Linux binaries in its package (N-API, any Node >= 22): the install runs with
# --ignore-scripts, as install.sh's does, so its implicit `node-gyp rebuild` never compiles it.
# Usage: bash scripts/pack-check.sh   (after npm run build)
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

npm pack --silent --pack-destination "$tmp" >/dev/null
tarball=$(ls "$tmp"/synguard-*.tgz)
# docs/ (--help points into it), the man page and the completions (dist/share/, made by `npm run build`)
listing=$(tar -tzf "$tarball")
for f in docs/enforce.md docs/config.md dist/share/man/man1/synguard.1 dist/share/bash-completion/synguard dist/share/zsh/_synguard; do
  grep -qx "package/$f" <<<"$listing" || { echo "pack-check: $f is not in the package" >&2; exit 1; }
done
# test support stays out: src/testing, src/e2e, src/bench and every test compile into dist/ for the suite only
if grep -E '^package/dist/(testing|e2e|bench|fuzz)/|\.test\.js$' <<<"$listing"; then
  echo "pack-check: test support is in the package (above)" >&2; exit 1
fi
echo "pack-check: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) files) in $(elapsed)"

npm install -g --prefix "$tmp/prefix" --no-audit --no-fund --loglevel=error --ignore-scripts "$tarball"
echo "pack-check: installed into $tmp/prefix in $(elapsed)"

bin="$tmp/prefix/bin/synguard"
"$bin" --help | grep -q '^Usage: synguard' || { echo "pack-check: synguard --help printed no usage" >&2; exit 1; }
"$bin" status --json --interval 0 | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (!r.assessment) process.exit(1)'
"$bin" bans --json --state-dir "$tmp/state" | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (!Array.isArray(r)) process.exit(1)'
# `bans` with no store no longer loads SQLite: load the installed package's native module directly
node -e "const D = require('$tmp/prefix/lib/node_modules/synguard/node_modules/better-sqlite3'); new D(':memory:').prepare('select 1').get()"
mkdir "$tmp/root"
"$bin" install --root "$tmp/root" --no-start >/dev/null
test -s "$tmp/root/etc/systemd/system/synguard.service" && test -s "$tmp/root/etc/synguard/config.yaml"
grep -q "^ExecStart=$bin run " "$tmp/root/etc/systemd/system/synguard.service"
# npm links the man page (package.json "man") into the prefix; the completions source cleanly in bash
test -s "$tmp/prefix/share/man/man1/synguard.1" || { echo "pack-check: npm did not install the man page" >&2; exit 1; }
bash -c "source '$tmp/prefix/lib/node_modules/synguard/dist/share/bash-completion/synguard' && complete -p synguard" >/dev/null
echo "pack-check: ok: docs, man page and completions packed, --help, status --json, bans --json, SQLite, install --root; $(elapsed) in all"
