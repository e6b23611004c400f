#!/usr/bin/env bash
# `npm run check`: types (tsc for shared, server, tests; svelte-check for web) and lint.
source "$(dirname "$0")/env.sh"
step "type-checking shared, server and tests"
npx tsc -p tsconfig.check.json
step "type-checking web"
npm run check --workspace web
step "linting"
npx eslint .
npx prettier --check . >/dev/null || die "prettier found unformatted files: run npm run format"
step "all checks passed"
