#!/usr/bin/env bash
# Runs a command with an unlocked throwaway gnome-keyring (Secret Service) in this D-Bus
# session. HOME points at a temporary folder so no real keyring or config is touched.
set -euo pipefail
tmp_home=$(mktemp -d)
trap 'rm -rf "$tmp_home"' EXIT
export HOME="$tmp_home"
export XDG_DATA_HOME="$tmp_home/.local/share" XDG_CONFIG_HOME="$tmp_home/.config"
eval "$(printf 'throwaway-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export COMIC_STUDIO_REAL_KEYRING=1
"$@"
