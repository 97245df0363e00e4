#!/usr/bin/env bash
# Installs Comic Studio with its test extras into .venv and runs the whole test suite:
# lint, format check, import rules, and pytest (offscreen Qt, loopback fake servers). When dbus and
# gnome-keyring are installed, the suite runs inside a throwaway D-Bus session with an
# unlocked throwaway Secret Service keyring, so the real-keyring test runs too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports  # the layer contracts in pyproject.toml
.venv/bin/python scripts/import_cycles.py  # no import circles; QtWidgets only in ui and app
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
fi
if [ "${CI:-}" = "true" ]; then
  echo "CI needs dbus-run-session and gnome-keyring-daemon for the real keyring test" >&2
  exit 1
fi
exec .venv/bin/python -m pytest "$@"
