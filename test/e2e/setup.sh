#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100, Node 20) into .e2e-cache/ for the e2e suite, once.
# Offline-friendly: @vscode/ripgrep's download is pre-seeded with Debian's `rg` (the package
# looks for its archive in /tmp/vscode-ripgrep-cache-<version>/ before it downloads).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${DFL_E2E_CACHE:-$PWD/.e2e-cache}"
VERSION=4.100.3
BIN="$CACHE/code-server/node_modules/.bin/code-server"
if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "^$VERSION"; then
  echo "code-server $VERSION already in $CACHE"
  exit 0
fi
command -v rg >/dev/null || { echo "setup: ripgrep (rg) is missing: apt-get install -y ripgrep" >&2; exit 1; }
# code-server's install builds the `kerberos` native module, which needs the Kerberos headers.
if command -v dpkg >/dev/null && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "setup: libkrb5-dev is missing (code-server's kerberos module builds against it): apt-get install -y libkrb5-dev" >&2
  exit 1
fi
STAGE="$(mktemp -d)"
cp "$(command -v rg)" "$STAGE/rg"
tar -C "$STAGE" -czf "$STAGE/rg.tar.gz" rg
# The archive name @vscode/ripgrep 1.15.x asks for; seed every version code-server may resolve.
for v in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14 1.17.0 1.17.1 1.18.0; do
  mkdir -p "/tmp/vscode-ripgrep-cache-$v"
  for name in ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz ripgrep-v14.1.1-1-x86_64-unknown-linux-musl.tar.gz; do
    cp "$STAGE/rg.tar.gz" "/tmp/vscode-ripgrep-cache-$v/$name"
  done
done
rm -rf "$STAGE"
mkdir -p "$CACHE/code-server"
cd "$CACHE/code-server"
[ -f package.json ] || echo '{ "name": "dfl-e2e-code-server", "private": true }' > package.json
npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false \
  npm install --no-save --loglevel=error "code-server@$VERSION"
"$BIN" --version
