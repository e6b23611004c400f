#!/usr/bin/env bash
# `npm test`: unit, integration and browser tests, each run on its own Redis and LiveKit.
source "$(dirname "$0")/env.sh"
build_web_if_stale
exec node tests/run-all.ts "$@"
