#!/usr/bin/env bash
# The Debian packages the test suite runs for real (brokers, Python and curl clients, a
# browser, systemd's unit checker). Missing ones are installed when we are root with
# apt-get; otherwise we stop at once, naming them and the one command that installs them.
set -euo pipefail

PACKAGES=(
  mosquitto mosquitto-clients          # local and cloud MQTT broker, mosquitto_sub
  rabbitmq-server nats-server          # the other cloud brokers (interop)
  python3-socketio python3-websocket python3-requests curl   # real camera clients
  python3-flask-socketio python3-eventlet                    # a central LPR server to forward to
  python3-cryptography                                       # Ed25519 in the Python verifier of docs/EVIDENCE.md
  chromium fonts-thai-tlwg             # the status page in a browser, Thai plates
  systemd                              # systemd-analyze verify of the unit file
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "test-deps: not a Debian system; make sure these are installed: ${PACKAGES[*]}" >&2
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: the tests need Debian packages that are missing: ${missing[*]}" >&2
  echo "test-deps: install them with:  sudo apt-get install -y ${missing[*]}" >&2
  echo "test-deps: (the suite also mounts a small tmpfs for its full-disk tests, so run it as root)" >&2
  exit 1
fi

echo "test-deps: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Packages may start their brokers as services on default ports; the tests start their own.
for svc in mosquitto rabbitmq-server nats-server; do
  if command -v systemctl >/dev/null 2>&1; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
  if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
echo "test-deps: installed ${missing[*]}"
