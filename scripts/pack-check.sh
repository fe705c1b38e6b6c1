#!/usr/bin/env bash
# The npm package installs globally and runs: `npm pack`, `npm install -g` of the tarball into a temporary prefix,
# then the installed `synguard` prints its help, reads the kernel (status), opens a store (the native SQLite module),
# and installs its service files under a temporary root (contrib/ is in the package); docs/, the man page and the
# completions must be in the package, and npm must link the man page.
#
# better-sqlite3 has no prebuilt binary reachable here, so a real install compiles it from source: about 3 minutes
# on 2 cores. By default the check installs with --ignore-scripts and reuses the module this checkout already built
# (same package version, same Node.js), which takes seconds. PACK_CHECK_BUILD=1 runs the real compile instead.
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
if grep -E '^package/dist/(testing|e2e|bench)/|\.test\.js$' <<<"$listing"; then
  echo "pack-check: test support is in the package (above)" >&2; exit 1
fi
echo "pack-check: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) files) in $(elapsed)"

install=(npm install -g --prefix "$tmp/prefix" --no-audit --no-fund --loglevel=error)
if [ "${PACK_CHECK_BUILD:-0}" = 1 ]; then
  "${install[@]}" "$tarball"
else
  "${install[@]}" --ignore-scripts "$tarball"
  have=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')
  got=$(node -p "require('$tmp/prefix/lib/node_modules/synguard/node_modules/better-sqlite3/package.json').version")
  if [ "$have" != "$got" ]; then
    echo "pack-check: the package resolves better-sqlite3 $got, this checkout built $have: run with PACK_CHECK_BUILD=1" >&2
    exit 1
  fi
  mkdir -p "$tmp/prefix/lib/node_modules/synguard/node_modules/better-sqlite3/build/Release"
  cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$tmp/prefix/lib/node_modules/synguard/node_modules/better-sqlite3/build/Release/"
fi
echo "pack-check: installed into $tmp/prefix in $(elapsed)"

bin="$tmp/prefix/bin/synguard"
"$bin" --help | grep -q '^Usage: synguard' || { echo "pack-check: synguard --help printed no usage" >&2; exit 1; }
"$bin" status --json --interval 0 | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (!r.assessment) process.exit(1)'
"$bin" bans --json --state-dir "$tmp/state" | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (!Array.isArray(r)) process.exit(1)'
mkdir "$tmp/root"
"$bin" install --root "$tmp/root" --no-start >/dev/null
test -s "$tmp/root/etc/systemd/system/synguard.service" && test -s "$tmp/root/etc/synguard/config.yaml"
grep -q "^ExecStart=$bin run " "$tmp/root/etc/systemd/system/synguard.service"
# npm links the man page (package.json "man") into the prefix; the completions source cleanly in bash
test -s "$tmp/prefix/share/man/man1/synguard.1" || { echo "pack-check: npm did not install the man page" >&2; exit 1; }
bash -c "source '$tmp/prefix/lib/node_modules/synguard/dist/share/bash-completion/synguard' && complete -p synguard" >/dev/null
echo "pack-check: ok: docs, man page and completions packed, --help, status --json, bans --json (SQLite), install --root; $(elapsed) in all"
