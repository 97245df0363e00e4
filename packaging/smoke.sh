#!/usr/bin/env bash
# Smoke test of the packaged app (CI runs it when PACKAGING=1; see .ci/run).
# Builds packaging/build/dist/comic-studio/ first when it is missing (or SMOKE_REBUILD=1),
# then, with no network, no keys and a throwaway config/data folder:
#   1. checks the bundle: Qt offscreen platform plugin, fonts + licence, icons, no test code;
#   2. headless: --version (package metadata), providers --json (keyring entry points),
#      new (the sample story) -> generate (offline renderer) -> show -> export cbz + pdf;
#   3. window: opens offscreen, closes after its first paint (startup time);
#   4. window: renders the sample story offline inside the studio, saves a screenshot;
#   5. window: opens a .comic file given on the command line, stays up, exits 0 on SIGTERM.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DIST="$HERE/build/dist/comic-studio"
APP="$DIST/comic-studio"
OUT="$HERE/build/smoke"   # screenshot and logs stay here for inspection

if [ ! -x "$APP" ] || [ "${SMOKE_REBUILD:-}" = "1" ]; then
  bash "$HERE/build.sh"
fi
fail() { echo "smoke.sh: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$OUT" && mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen
export COMIC_STUDIO_CONFIG_DIR="$TMP/config" COMIC_STUDIO_DATA_DIR="$TMP/data"
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
mkdir -p "$HOME"
# the offline path must not need the network: unroutable proxies catch any attempt
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9
export NO_PROXY=""
cd "$TMP"

step "bundle contents"
ls "$DIST/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so" >/dev/null \
  || fail "Qt offscreen platform plugin missing"
ls "$DIST/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
  "$DIST/_internal/PySide6/Qt/plugins/platforms/libqwayland.so" >/dev/null \
  || fail "Qt xcb/wayland platform plugins missing"
for f in fonts/ComicNeue-Regular.otf fonts/ComicNeue-LICENSE.txt \
  icons/hicolor/scalable/apps/io.github.comicstudio.ComicStudio.svg \
  icons/hicolor/256x256/apps/io.github.comicstudio.ComicStudio.png; do
  [ -f "$DIST/_internal/studio/resources/$f" ] || fail "resource $f missing"
done
ls -d "$DIST/_internal/comic_studio-"*.dist-info "$DIST/_internal/keyring-"*.dist-info >/dev/null \
  || fail "package metadata missing"
[ -f "$DIST/_internal/certifi/cacert.pem" ] || fail "certifi CA bundle missing"
PYZ_TOC="$HERE/build/work/comic-studio/PYZ-00.toc"
if [ -f "$PYZ_TOC" ] && grep -Eq "'(tests|pytest|_pytest|pytestqt|hypothesis)(\.|')" "$PYZ_TOC"; then
  fail "test code in the bundle"
fi
find "$DIST" -path '*/tests/*' -name 'test_*.py' | grep -q . && fail "test files in the bundle"
echo "ok ($(du -sh "$DIST" | cut -f1))"

step "version from package metadata"
want=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
got=$("$APP" --version)
[ "$got" = "comic-studio $want" ] || fail "--version printed '$got', expected 'comic-studio $want'"
echo "$got"

step "providers --json (keyring backends via entry points)"
"$APP" providers --json >"$OUT/providers.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("keyring:", d["keyring"]); assert any(p["id"]=="local" for p in d["providers"])' "$OUT/providers.json"

if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  step "keyring: Secret Service round trip (throwaway D-Bus session + gnome-keyring)"
  cat >"$TMP/keyring.sh" <<KR
set -euo pipefail
"$APP" providers --json | python3 -c 'import json,sys; k=json.load(sys.stdin)["keyring"]; print("keyring:", k); assert "SecretService" in k, k'
printf 'smoke-test-key\\n' | "$APP" keys set llamagen
"$APP" keys status llamagen | grep -q "stored in the keyring"
"$APP" keys delete llamagen
KR
  dbus-run-session -- bash "$ROOT/scripts/with-keyring.sh" bash "$TMP/keyring.sh" 2>"$OUT/keyring.log" \
    || { cat "$OUT/keyring.log" >&2; fail "keyring round trip in the packaged app"; }
fi

step "headless: the sample story, offline"
"$APP" new sample.comic --title "The Lighthouse Keeper" --pages 1 --panels-per-page 4 \
  --provider local \
  --prompt "Page 1: Panel 1: Mia climbs the spiral stairs of the old lighthouse at dusk. Panel 2: At the top she finds the lamp dark and a cat asleep on the logbook. Panel 3: A ship's horn sounds out in the fog; Mia looks out to sea, worried. Panel 4: She lights the lamp and the beam sweeps across the waves." \
  --character "name=Mia;age=12;gender=girl;dress=yellow raincoat" \
  --location "name=Lighthouse;description=an old stone lighthouse by the sea"
timeout 120 "$APP" generate sample.comic
"$APP" show sample.comic --json >"$OUT/show.json"
"$APP" export sample.comic --format cbz --out sample.cbz
"$APP" export sample.comic --format pdf --out sample.pdf
python3 - "$TMP/sample.cbz" "$TMP/sample.pdf" <<'PY'
import sys, zipfile
names = [n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.lower().endswith((".png", ".jpg", ".jpeg", ".webp"))]
assert names, "the CBZ holds no images"
with open(sys.argv[2], "rb") as f:
    assert f.read(5) == b"%PDF-", "not a PDF"
print(f"cbz: {len(names)} image(s); pdf ok")
PY

step "window: first paint, offscreen"
start=$(date +%s.%N)
COMIC_STUDIO_SMOKE=paint timeout 60 "$APP" 2> >(tee "$OUT/window-paint.log" >&2) \
  || fail "the window did not open and close cleanly (exit $?)"
end=$(date +%s.%N)
python3 -c "print(f'open + first paint + orderly close: {$end - $start:.2f}s wall')"

step "window: the sample story rendered offline in the studio"
COMIC_STUDIO_SMOKE=sample COMIC_STUDIO_SMOKE_SHOT="$OUT/window-sample.png" timeout 120 "$APP" \
  2> >(tee "$OUT/window-sample.log" >&2) || fail "the sample story did not render in the window"
[ -s "$OUT/window-sample.png" ] || fail "no screenshot"

step "window: opens a .comic given on the command line; SIGTERM closes it cleanly"
rm -rf "$COMIC_STUDIO_CONFIG_DIR"
"$APP" "$TMP/sample.comic" 2>"$OUT/window-open.log" &
pid=$!
sleep "${SMOKE_UP_SECONDS:-5}"
kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; cat "$OUT/window-open.log" >&2; fail "the window exited early"; }
kill -TERM "$pid"
code=0
timeout 30 tail --pid="$pid" -f /dev/null || { kill -KILL "$pid"; fail "no exit within 30s of SIGTERM"; }
wait "$pid" || code=$?
[ "$code" = 0 ] || { cat "$OUT/window-open.log" >&2; fail "exit $code after SIGTERM"; }
grep -q "$TMP/sample.comic" "$COMIC_STUDIO_CONFIG_DIR"/*.json \
  || fail "the file given on the command line was not opened"
echo "ok: up ${SMOKE_UP_SECONDS:-5}s, exit 0 on SIGTERM, project opened"

echo "smoke.sh: PASS ($APP)"
