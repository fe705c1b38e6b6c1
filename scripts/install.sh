#!/usr/bin/env bash
# Installs what synguard needs on Debian 12 (idempotent), builds it, puts `synguard` on PATH, and installs its man page
# and its bash and zsh completions (made by the build from the command definitions: dist/share/).
# Usage: bash scripts/install.sh [--test]   (--test also installs the test tools: scripts/apt-packages-test.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root" >&2; exit 2; fi

lists=(scripts/apt-packages.txt)
case "${1:-}" in
  --test) lists+=(scripts/apt-packages-test.txt) ;;
  '') ;;
  *) echo "install.sh: unknown option $1 (usage: install.sh [--test])" >&2; exit 2 ;;
esac
mapfile -t pkgs < <(grep -hv '^\s*#' "${lists[@]}" | awk 'NF{print $1}')
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
node_major() { if command -v node >/dev/null; then node -p 'process.versions.node.split(".")[0]'; else echo 0; fi; }
if [ "$(node_major)" -lt 24 ]; then
  command -v npm >/dev/null || missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$(node_major)" -lt 24 ]; then
  # Debian 12 ships Node.js 18 and Node.js 20 is out of support: the npm registry's `node` package brings the Node.js 24
  # LTS binary into /usr/local/bin (ahead of /usr/bin on PATH). better-sqlite3 13 needs Node >= 22 (docs/benchmarks.md).
  echo "install.sh: Node.js $(node_major) is too old, installing Node.js 24 from the npm registry"
  npm install -g --no-audit --no-fund --loglevel=error node@24
  hash -r
  if [ "$(node_major)" -lt 24 ]; then
    echo "install.sh: node on PATH is still $(node --version) ($(command -v node)): put /usr/local/bin first" >&2
    exit 1
  fi
fi

# --ignore-scripts: better-sqlite3 13 ships its Linux binaries (N-API, one for every Node >= 22); its implicit
# `node-gyp rebuild` would need a compiler and Node's headers from the network. No other dependency has a script.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
npm run --silent build
chmod +x dist/cli/main.js
ln -sf "$PWD/dist/cli/main.js" /usr/local/bin/synguard
# the man page and completions: /usr/local/share/man/man1/synguard.1, /usr/share/bash-completion/completions/synguard,
# /usr/local/share/zsh/site-functions/_synguard (replaced on every run)
bash scripts/install-manual.sh
