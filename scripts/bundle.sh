#!/usr/bin/env bash
# npm run bundle — an offline install tarball for boxes without internet: the built
# gateway, its production dependencies (native LevelDB binding for this machine's
# platform and architecture), config, systemd unit and installer.
#   lpr-gateway-<version>-<platform>-<arch>.tar.gz  →  tar xzf it on the box, then
#   sudo lpr-gateway-<version>/scripts/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p "require('./package.json').version")
target="$(node -p 'process.platform')-$(node -p 'process.arch')"
name="lpr-gateway-${version}"
out="${1:-.}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/$name/scripts"
# Built straight into the bundle: the checkout's own dist/ is left alone.
node scripts/build.mjs "$stage/$name/dist"
cp -r bin config systemd package.json package-lock.json README.md "$stage/$name/"
cp scripts/install.sh "$stage/$name/scripts/"
(cd "$stage/$name" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
mkdir -p "$out"
tar -czf "$out/${name}-${target}.tar.gz" -C "$stage" "$name"
echo "$out/${name}-${target}.tar.gz"
