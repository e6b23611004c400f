# Sourced by the other scripts in this folder: puts Node 24 first on PATH and
# installs the project's npm dependencies when they are missing or stale.
# It prints each step it takes, so a first run on a fresh machine is legible.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COLLOQUY_HOME="${COLLOQUY_HOME:-$HOME/.colloquy}"
NODE_DIR="$COLLOQUY_HOME/node24"
export COLLOQUY_HOME

step() { printf '\033[1m[colloquy]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[colloquy] %s\033[0m\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 24 ]; then
  : # the machine's own Node is recent enough
elif [ -x "$NODE_DIR/bin/node" ] && [ "$(node_major "$NODE_DIR/bin/node")" -ge 24 ]; then
  export PATH="$NODE_DIR/bin:$PATH"
else
  command -v npm >/dev/null 2>&1 || die "Node.js 24 is required and npm is not available to fetch it. Install Node.js 24 LTS (https://nodejs.org) and run again."
  step "installing Node.js 24 into $NODE_DIR (one time)"
  npm i -g --prefix "$NODE_DIR" --allow-scripts=node --no-fund --no-audit node@24 >&2 \
    || die "could not install Node.js 24 with npm. Install Node.js 24 LTS yourself and run again."
  export PATH="$NODE_DIR/bin:$PATH"
fi

cd "$ROOT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm dependencies"
  if [ -f package-lock.json ]; then npm ci --no-fund --no-audit >&2; else npm install --no-fund --no-audit >&2; fi
fi

# Build the web app when its sources are newer than the last build.
build_web_if_stale() {
  local stamp="web/build/handler.js"
  if [ ! -f "$stamp" ] || [ -n "$(find web/src shared/src web/svelte.config.js web/vite.config.ts -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    step "building the web app"
    npm run build --workspace web >&2
  fi
}
