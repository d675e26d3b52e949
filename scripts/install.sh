#!/usr/bin/env bash
# Installs or upgrades lpr-edge-gateway as a systemd service, from this checkout (builds it;
# needs the npm registry) or from an offline bundle (`npm run bundle`; needs nothing).
#
#   sudo scripts/install.sh                 install or upgrade in place, (re)start the service
#   sudo scripts/install.sh --uninstall     remove service and program; keep data and settings
#   sudo scripts/install.sh --uninstall --purge   also remove /var/lib/lpr-gateway and /etc/lpr-gateway
#   scripts/install.sh --root DIR --no-systemd    stage into DIR (for packaging and tests)
#
# Keeps: the data in /var/lib/lpr-gateway and the operator's /etc/lpr-gateway files.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

ROOT=""
PREFIX=/opt/lpr-gateway
SYSTEMD=yes
MODE=install
PURGE=no
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2%/}"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --no-systemd) SYSTEMD=no; shift ;;
    --uninstall) MODE=uninstall; shift ;;
    --purge) PURGE=yes; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root (sudo), or stage with --root DIR" >&2; exit 1; fi
[ -n "$ROOT" ] && [ "$SYSTEMD" = yes ] && { echo "install.sh: --root needs --no-systemd" >&2; exit 2; }

DEST="$ROOT$PREFIX"
BIN="$ROOT/usr/local/bin/lpr-gateway"
UNIT="$ROOT/etc/systemd/system/lpr-gateway.service"
ETC="$ROOT/etc/lpr-gateway"
DATA="$ROOT/var/lib/lpr-gateway"

if [ "$MODE" = uninstall ]; then
  if [ "$SYSTEMD" = yes ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now lpr-gateway.service >/dev/null 2>&1 || true
  fi
  rm -f "$UNIT" "$BIN"
  rm -rf "$DEST"
  [ "$SYSTEMD" = yes ] && command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload || true
  if [ "$PURGE" = yes ]; then
    rm -rf "$DATA" "$ETC"
    echo "lpr-gateway removed, with its data and settings"
  else
    echo "lpr-gateway removed; kept data in ${DATA:-/var/lib/lpr-gateway} and settings in $ETC (--purge removes them)"
  fi
  exit 0
fi

# Node.js 20 or newer: Debian 12 and Raspberry Pi OS ship 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  found=$(node --version 2>/dev/null || echo "none")
  cat >&2 <<MSG
install.sh: lpr-gateway needs Node.js 20 or newer (found: $found).
  Debian 12 / Raspberry Pi OS ship Node.js 18. Install 20 from NodeSource:
    curl -fsSL https://deb.nodesource.com/setup_20.x | sudo bash -
    sudo apt-get install -y nodejs
  or unpack an official build from https://nodejs.org/en/download into /usr/local.
MSG
  exit 1
fi
node_bin=$(command -v node)

# What to install: a bundle carries dist/ and node_modules/ already; a checkout is built.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
if [ -d "$here/dist" ] && [ -d "$here/node_modules" ] && [ ! -d "$here/src" ]; then
  src="$here"
else
  echo "building from the checkout in $here (needs the npm registry; for an offline box use npm run bundle)"
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null && npm run build >/dev/null)
  cp -r "$here/dist" "$here/bin" "$here/config" "$here/systemd" "$here/package.json" "$here/package-lock.json" "$here/README.md" "$stage/"
  (cd "$stage" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
  src="$stage"
fi
new_version=$(node -p "require('$src/package.json').version")
old_version=$( [ -f "$DEST/package.json" ] && node -p "require('$DEST/package.json').version" || true)

# Replace the program, never the data or the operator's settings.
install -d -m 0755 "$DEST"
rm -rf "$DEST/dist" "$DEST/node_modules" "$DEST/bin" "$DEST/config"
cp -r "$src/dist" "$src/bin" "$src/config" "$src/node_modules" "$src/package.json" "$src/README.md" "$DEST/"
[ -f "$src/package-lock.json" ] && cp "$src/package-lock.json" "$DEST/"
install -d -m 0755 "$(dirname "$BIN")"
ln -sfn "$PREFIX/bin/lpr-gateway.js" "$BIN"
chmod 0755 "$DEST/bin/lpr-gateway.js"

install -d -m 0750 "$ETC"
[ -f "$ETC/gateway.env" ] || install -m 0600 "$src/systemd/gateway.env.example" "$ETC/gateway.env"
install -d -m 0755 "$(dirname "$UNIT")"
# The unit runs the node this installer found (NodeSource: /usr/bin/node; else wherever).
sed "s|^ExecStart=/usr/bin/node |ExecStart=$node_bin |" "$src/systemd/lpr-gateway.service" > "$UNIT"
chmod 0644 "$UNIT"

if [ -n "$old_version" ]; then echo "lpr-gateway upgraded: $old_version → $new_version in $PREFIX"; else echo "lpr-gateway $new_version installed in $PREFIX"; fi

if [ "$SYSTEMD" = yes ]; then
  id lpr-gateway >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lpr-gateway
  systemctl daemon-reload
  systemctl enable lpr-gateway.service >/dev/null
  # restart, not start: an upgrade must not keep running the old code.
  systemctl restart lpr-gateway.service
  systemctl --no-pager --lines=5 status lpr-gateway.service || true
fi
echo "settings: $ETC/gateway.env · logs: journalctl -u lpr-gateway -f · state: lpr-gateway status"
