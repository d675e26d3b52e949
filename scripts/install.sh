#!/usr/bin/env bash
# Installs lpr-edge-gateway as a systemd service from this checkout:
#   sudo scripts/install.sh            (needs Node.js >= 20 at /usr/bin/node)
# Copies the built gateway to /opt/lpr-gateway, creates the lpr-gateway user, puts the
# environment file in /etc/lpr-gateway (kept if present) and enables the service.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

npm ci --no-audit --no-fund
npm run build
id lpr-gateway >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lpr-gateway

install -d -m 0755 /opt/lpr-gateway
rm -rf /opt/lpr-gateway/dist /opt/lpr-gateway/node_modules
cp -r dist config package.json package-lock.json README.md /opt/lpr-gateway/
(cd /opt/lpr-gateway && npm ci --omit=dev --no-audit --no-fund)

install -d -m 0750 /etc/lpr-gateway
[ -f /etc/lpr-gateway/gateway.env ] || install -m 0600 systemd/gateway.env.example /etc/lpr-gateway/gateway.env
install -m 0644 systemd/lpr-gateway.service /etc/systemd/system/lpr-gateway.service
systemctl daemon-reload
systemctl enable --now lpr-gateway.service
systemctl --no-pager status lpr-gateway.service || true
