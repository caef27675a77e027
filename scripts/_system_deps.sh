#!/usr/bin/env bash
# Debian packages the tests use: headless Chromium for browser tests and snapshots, PostgreSQL with the
# PostGIS extension for the shared-store tests, DejaVu fonts for map labels. Installs only what is
# missing, then checks the result and stops with one line naming what is still missing and why.
set -euo pipefail

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
updated=0
apt_install() {
  if [ "$updated" -eq 0 ]; then $SUDO apt-get update -qq; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The newest installed PostgreSQL server major version (the one tests/_postgis_server.py starts), or "".
pg_major() {
  ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sed 's#/usr/lib/postgresql/\([0-9]*\)/.*#\1#' | sort -n | tail -1
}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ -n "$(pg_major)" ] || need+=(postgresql)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

# The server extension is packaged per server version (postgresql-N-postgis-3); the package named
# plain "postgis" holds only client tools and merely recommends it.
major="$(pg_major)"
if [ -n "$major" ] && [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ]; then
  apt_install "postgresql-$major-postgis-3"
fi

fail() { echo "scripts/_system_deps.sh: $*" >&2; exit 1; }
/usr/bin/chromium --version >/dev/null 2>&1 \
  || fail "Chromium is missing or does not start (/usr/bin/chromium from Debian package 'chromium'): browser tests and PNG snapshots need it"
[ -x /usr/bin/chromedriver ] || fail "chromedriver is missing (Debian package 'chromium-driver')"
major="$(pg_major)"
[ -n "$major" ] || fail "no PostgreSQL server binaries under /usr/lib/postgresql (Debian package 'postgresql'): the PostGIS store tests need a local server"
[ -f "/usr/share/postgresql/$major/extension/postgis.control" ] \
  || fail "the PostGIS extension for PostgreSQL $major is missing (/usr/share/postgresql/$major/extension/postgis.control; Debian package 'postgresql-$major-postgis-3')"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
  || fail "DejaVu Sans is missing (Debian package 'fonts-dejavu-core'): snapshot labels need it"
