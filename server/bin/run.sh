#!/usr/bin/env bash
# Runs a TypeScript entry point on Node 24 (native type stripping), after the bootstrap.
source "$(dirname "$0")/env.sh"
if [ "${1:-}" = "--build-only" ]; then build_web_if_stale; exit 0; fi
build_web_if_stale
exec node "$@"
