#!/usr/bin/env bash
# Builds the packaged Comic Studio: packaging/build/dist/comic-studio/comic-studio
# (a one-folder app: the executable plus its _internal/ folder; no Python needed to run it).
#
#   bash packaging/build.sh          # fresh virtualenv each time (packaging/build/venv)
#   KEEP_VENV=1 bash packaging/build.sh   # reuse the virtualenv; reinstall the package only
#   PYTHON=python3.12 bash packaging/build.sh
#
# The package is installed NON-editable from a snapshot of the working tree
# (pyproject.toml, README.md, studio/) so the build neither writes into the repo root
# (setuptools' build/ and *.egg-info) nor packs stale files from an earlier build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD="$HERE/build"
VENV="$BUILD/venv"
PY=${PYTHON:-python3}
PYINSTALLER_SPEC=${PYINSTALLER_SPEC:-"pyinstaller>=6.10,<7"}

mkdir -p "$BUILD"
if [ "${KEEP_VENV:-}" = "1" ] && [ -x "$VENV/bin/python" ]; then
  echo "== reusing $VENV"
else
  echo "== fresh virtualenv $VENV ($("$PY" --version))"
  "$PY" -m venv --clear "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip

echo "== snapshot of the package sources"
rm -rf "$BUILD/src"
mkdir -p "$BUILD/src"
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$BUILD/src/"
[ -f "$ROOT/LICENSE" ] && cp "$ROOT/LICENSE" "$BUILD/src/"
tar -C "$ROOT" --exclude='__pycache__' --exclude='*.pyc' -cf - studio | tar -C "$BUILD/src" -xf -

echo "== pip install $PYINSTALLER_SPEC + comic-studio (non-editable)"
"$VENV/bin/python" -m pip install -q "$PYINSTALLER_SPEC"
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$BUILD/src"
"$VENV/bin/python" -m pip install -q "$BUILD/src"
"$VENV/bin/python" -m pip check

echo "== pyinstaller"
rm -rf "$BUILD/dist/comic-studio"
(cd "$BUILD" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" "$HERE/comic-studio.spec")

APP="$BUILD/dist/comic-studio/comic-studio"
[ -x "$APP" ] || { echo "build.sh: $APP was not built" >&2; exit 1; }
echo "== built $APP ($("$APP" --version), $(du -sh "$BUILD/dist/comic-studio" | cut -f1))"
