#!/usr/bin/env bash
# Installs the man page and the bash and zsh completions that `npm run build` made (dist/share/), replacing any
# earlier copy (idempotent). Run by install.sh; DESTDIR (default empty) puts them under another root, for images and tests.
# Usage: bash scripts/install-manual.sh [DESTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-}
for f in dist/share/man/man1/synguard.1 dist/share/bash-completion/synguard dist/share/zsh/_synguard; do
  test -s "$f" || { echo "install-manual.sh: $f is missing: run npm run build first" >&2; exit 1; }
done
install -D -m 0644 dist/share/man/man1/synguard.1 "$dest/usr/local/share/man/man1/synguard.1"
install -D -m 0644 dist/share/bash-completion/synguard "$dest/usr/share/bash-completion/completions/synguard"
install -D -m 0644 dist/share/zsh/_synguard "$dest/usr/local/share/zsh/site-functions/_synguard"
if [ -z "$dest" ] && command -v mandb >/dev/null; then mandb -q /usr/local/share/man 2>/dev/null || true; fi
