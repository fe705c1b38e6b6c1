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
  # crowdsec (test list only): its post-install step registers with the online API and fails offline unless this file
  # exists and is non-empty.
  if printf '%s\n' "${missing[@]}" | grep -qx crowdsec; then
    mkdir -p /etc/crowdsec
    [ -s /etc/crowdsec/online_api_credentials.yaml ] || echo '# offline: synguard tests use the Local API only' >/etc/crowdsec/online_api_credentials.yaml
  fi
  # No package's service starts during this install: the tests run their own nginx, apache2 and CrowdSec LAPI inside
  # lab namespaces, never the host's. A temporary policy-rc.d denies starts, only when none exists, removed afterwards.
  guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# synguard install.sh: no service starts during this install\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d; guard=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  # ...nor is enabled for the next boot (only what this run installed; an admin's own nginx stays as it was)
  if [ -d /run/systemd/system ]; then
    for p in "${missing[@]}"; do
      case "$p" in
        nginx) systemctl disable --quiet nginx 2>/dev/null || true ;;
        apache2) systemctl disable --quiet apache2 apache-htcacheclean 2>/dev/null || true ;;
        crowdsec|crowdsec-firewall-bouncer) systemctl disable --quiet "$p" 2>/dev/null || true ;;
      esac
    done
  fi
fi
# never leave a crowdsec service running on the host (the tests run their own LAPI in a lab namespace)
if command -v systemctl >/dev/null && systemctl is-active -q crowdsec 2>/dev/null; then systemctl disable --now crowdsec crowdsec-firewall-bouncer 2>/dev/null || true; fi
if [ "$(node_major)" -lt 24 ]; then
  # Debian 12 ships Node.js 18 and Node.js 20 is out of support: the npm registry's `node` package brings the Node.js 24
  # LTS binary into /usr/local/bin (ahead of /usr/bin on PATH). better-sqlite3 13 needs Node >= 22 (docs/benchmarks.md).
  echo "install.sh: Node.js $(node_major) is too old, installing Node.js 24 from the npm registry"
  # --prefix /usr/local: npm's own global prefix may be /usr, where a Node.js not installed by npm owns /usr/bin/node
  npm install -g --prefix /usr/local --no-audit --no-fund --loglevel=error node@24
  hash -r
  if [ "$(node_major)" -lt 24 ]; then
    echo "install.sh: node on PATH is still $(node --version) ($(command -v node)): put /usr/local/bin first" >&2
    exit 1
  fi
fi

# --ignore-scripts: better-sqlite3 13 ships its Linux binaries (N-API, one for every Node >= 22); its implicit
# `node-gyp rebuild` would need a compiler and Node's headers from the network. esbuild's script (it bundles the CLI
# at build time) only checks the binary its platform package brings.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
npm run --silent build
chmod +x dist/cli/main.js
ln -sf "$PWD/dist/cli/main.js" /usr/local/bin/synguard
# the man page and completions: /usr/local/share/man/man1/synguard.1, /usr/share/bash-completion/completions/synguard,
# /usr/local/share/zsh/site-functions/_synguard (replaced on every run)
bash scripts/install-manual.sh
