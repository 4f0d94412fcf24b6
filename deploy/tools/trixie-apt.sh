#!/usr/bin/env bash
# Runs apt-get against Debian trixie through a private apt configuration, so the system's own sources stay
# untouched. The mirror is the one this machine's Debian sources already use.
# Usage: deploy/tools/trixie-apt.sh <apt-get arguments...>   (e.g. `update`, `download docker-compose`)
set -euo pipefail
state=${TRIXIE_APT_DIR:-/var/tmp/faceservice-trixie-apt}
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$state/sources.list" <<SOURCES
deb [signed-by=$keyring] $mirror trixie main
deb-src [signed-by=$keyring] $mirror trixie main
SOURCES
exec apt-get -o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null \
  -o Dir::State::Lists="$state/lists" -o Dir::Cache="$state/cache" "$@"
