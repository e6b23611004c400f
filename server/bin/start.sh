#!/usr/bin/env bash
# `npm start`: installs what is missing, starts Redis and LiveKit as children, loads the demo, serves.
source "$(dirname "$0")/env.sh"

# Speech: pocketsphinx transcribes recordings (the default engine); festival speaks the demo's audio.
SPEECH_PACKAGES=(pocketsphinx pocketsphinx-en-us festival festvox-us-slt-hts)
missing_speech=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${SPEECH_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing_speech+=("$p"); done
fi
if [ ${#missing_speech[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing Debian packages for transcripts: ${missing_speech[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_speech[@]}" >/dev/null; } \
      || step "could not install ${missing_speech[*]}: transcripts will fail until they are installed"
  else
    step "transcripts need: sudo apt-get install ${missing_speech[*]} (or set TRANSCRIBE_URL to an OpenAI-compatible endpoint)"
  fi
fi
build_web_if_stale
exec node server/src/cli/start.ts "$@"
