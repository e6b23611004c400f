#!/usr/bin/env bash
# `npm start`: installs what is missing, starts Redis and LiveKit as children, loads the demo, serves.
source "$(dirname "$0")/env.sh"
build_web_if_stale
exec node server/src/cli/start.ts "$@"
