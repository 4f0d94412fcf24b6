#!/usr/bin/env bash
# Installs the `docker compose` CLI plugin from Debian trixie's docker-compose package (a static binary),
# so `docker compose config` can validate docker-compose.yml on a machine without a Docker engine.
set -euo pipefail
plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
if docker compose version >/dev/null 2>&1; then exit 0; fi
tools=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tools/trixie-apt.sh" -qq update
(cd "$work" && "$tools/trixie-apt.sh" -qq download docker-compose 2>/dev/null)
dpkg -x "$work"/docker-compose_*.deb "$work/x"
mkdir -p "$plugin_dir"
install -m 0755 "$work/x/usr/libexec/docker/cli-plugins/docker-compose" "$plugin_dir/docker-compose"
docker compose version
