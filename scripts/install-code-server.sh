#!/usr/bin/env bash
# Installs code-server 4.100.3 (the real VS Code 1.100.3 workbench and Node extension host) from the
# npm registry, with no other network access. The integration tests and `npm start` run NormLens in it.
#
# Usage: bash scripts/install-code-server.sh <target-dir>
# Needs: node 20, npm, g++, make, python3; apt (as root) when libkrb5-dev or ripgrep is missing.
# Idempotent: exits at once when the pinned version is already installed in <target-dir>.
# See ../shared/vscode-harness/RECIPE.md §1 for the three blockers this script gets past.
set -euo pipefail
DEST="$(mkdir -p "${1:?usage: install-code-server.sh <target-dir>}" && cd "$1" && pwd)"
# 4.100.3 is the last release line that declares engines.node 20; newer ones need node 24.
CS_VERSION=4.100.3
BIN="$DEST/node_modules/.bin/code-server"
# code-server writes $XDG_CONFIG_HOME/code-server/config.yaml even for --version: keep it out of $HOME.
version_ok() {
  [ -x "$BIN" ] && XDG_CONFIG_HOME="$DEST/.config" XDG_DATA_HOME="$DEST/.local" "$BIN" --version 2>/dev/null |
    grep -q "^$CS_VERSION "
}
if version_ok; then
  echo "code-server $CS_VERSION already in $DEST"
  exit 0
fi
started=$SECONDS

# 1. OS packages. kerberos.node is compiled from source (its prebuilt download fails offline) and
#    needs the gssapi headers; ripgrep supplies the rg binary @vscode/ripgrep would fetch from GitHub.
missing=()
for pkg in libkrb5-dev ripgrep; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-code-server: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# 2. Seed @vscode/ripgrep's download cache, which it checks in os.tmpdir() before going to GitHub.
#    Debian's rg is 13.0.0, the version @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.3) expects.
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
SEED="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$SEED"
if [ ! -s "$SEED/$RG_ASSET" ]; then
  work=$(mktemp -d)
  cp "$(command -v rg)" "$work/rg"
  tar czf "$SEED/$RG_ASSET" -C "$work" rg
  rm -rf "$work"
fi

# 3. Install. As root, code-server's postinstall.sh refuses to run unless npm_config_unsafe_perm=true
#    (npm 11 warns "Unknown env config" but still passes it to the script). node-pty's post-install
#    runs `npx node-gyp`, which needs npm_config_yes=true when the user's .npmrc says yes=false.
cd "$DEST"
[ -f package.json ] || echo '{"name":"normlens-code-server","private":true}' >package.json
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund "code-server@$CS_VERSION"
version_ok || {
  echo "install-code-server: code-server $CS_VERSION did not install correctly in $DEST" >&2
  exit 1
}
echo "code-server $CS_VERSION installed in $DEST in $((SECONDS - started)) s"
