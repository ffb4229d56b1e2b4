#!/usr/bin/env bash
# Installs the system packages Slingshot's evaluation needs, when missing (Debian/Ubuntu):
#   bubblewrap  - the sandbox model-written code runs in (no network, read-only system, limits)
#   chromium    - renders HTML reports headlessly (the report test screenshots them)
#   python3     - runs HumanEval/MBPP programs
#   g++         - compiles the chat-template bridge (native/chat) against the pinned llama.cpp headers at build time
# Idempotent: does nothing when all are present. Needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: missing ${missing[*]}; install them with your package manager" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: missing ${missing[*]}; run as root or install sudo" >&2; exit 1; }
  sudo="sudo -n"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
