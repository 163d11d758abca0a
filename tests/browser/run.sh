#!/usr/bin/env bash
# The default theme's browser evidence: builds the real site from content/ and
# checks it with the Nu Html Checker, axe-core in headless Chromium, a keyboard
# walk, a network check, the CSS/JS budget, and screenshots.
#
#   bash tests/browser/run.sh
#
# On a fresh Debian machine (as root) it first installs what it needs:
# chromium, fonts-dejavu-core, a Java runtime and Node.js from apt, then the
# pinned npm packages (playwright-core, axe-core, vnu-jar, and decap-cms and
# decap-server for the CMS test) with `npm ci`.
# Env: SITE_DIR=DIR checks an already built site instead of building one;
#      SHOTS_DIR=DIR is where screenshots go (default tests/browser/shots).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

say() { printf '== browser tests: %s\n' "$*"; }

# System packages, from apt, only when something is missing.
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "browser tests need: ${missing[*]} (install them, or run as root to have them installed)" >&2
    exit 2
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned by package-lock.json; reinstalled when the lock changes.
# Install scripts are skipped: vnu-jar's only fetches a JRE, which apt gave us.
stamp="$here/node_modules/.pestle-lock"
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "npm ci"
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$stamp"
fi

# The real site, built from content/ into a temporary folder.
tmp=""
if [ -z "${SITE_DIR:-}" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  export SITE_DIR="$tmp/site"
  say "building the site into $SITE_DIR"
  (cd "$repo" && cargo run --release --quiet -- build --output "$SITE_DIR")
fi

say "node --test"
cd "$here"
node --test test/*.test.mjs
