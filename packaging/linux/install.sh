#!/usr/bin/env bash
# Installs the packaged Comic Studio with its desktop integration (menu entry, icons,
# .comic file type, AppStream metadata).
#
#   bash packaging/linux/install.sh                 # into ~/.local (no root needed)
#   sudo PREFIX=/usr/local bash packaging/linux/install.sh
#   DESTDIR=/tmp/stage PREFIX=/usr bash packaging/linux/install.sh   # staging for packagers
#   bash packaging/linux/install.sh --uninstall     # removes what it installed (same PREFIX)
#
# Layout under PREFIX:
#   lib/comic-studio/                 the one-folder app (comic-studio + _internal/)
#   bin/comic-studio                  symlink to it (the same binary is the command line)
#   share/applications/io.github.comicstudio.ComicStudio.desktop
#   share/metainfo/io.github.comicstudio.ComicStudio.metainfo.xml
#   share/mime/packages/io.github.comicstudio.ComicStudio.xml   (*.comic)
#   share/icons/hicolor/*/apps/io.github.comicstudio.ComicStudio.{png,svg}
#   share/icons/hicolor/*/mimetypes/application-x-comic-studio-project.{png,svg}
# Builds the app first (packaging/build.sh) when packaging/build/dist/ has none.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PKG=$(dirname "$HERE")
ROOT=$(dirname "$PKG")
APP_ID=io.github.comicstudio.ComicStudio
MIME_ICON=application-x-comic-studio-project
PREFIX=${PREFIX:-$HOME/.local}
DESTDIR=${DESTDIR:-}
DIST=${DIST:-$PKG/build/dist/comic-studio}
ICONS="$ROOT/studio/resources/icons/hicolor"
T="$DESTDIR$PREFIX"

refresh_caches() {
  [ -n "$DESTDIR" ] && return 0   # staging: the package manager's triggers do it
  if command -v update-mime-database >/dev/null; then
    update-mime-database "$PREFIX/share/mime" >/dev/null 2>&1 || true
  fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$PREFIX/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$PREFIX/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$PREFIX/share/icons/hicolor" || true
  fi
  return 0
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$T/lib/comic-studio"
  if [ -L "$T/bin/comic-studio" ]; then rm -f "$T/bin/comic-studio"; fi
  rm -f "$T/share/applications/$APP_ID.desktop" \
    "$T/share/metainfo/$APP_ID.metainfo.xml" \
    "$T/share/mime/packages/$APP_ID.xml"
  find "$T/share/icons/hicolor" \( -name "$APP_ID.png" -o -name "$APP_ID.svg" \
    -o -name "$MIME_ICON.png" -o -name "$MIME_ICON.svg" \) -delete 2>/dev/null || true
  refresh_caches
  echo "Comic Studio removed from $T"
  exit 0
fi

if [ ! -x "$DIST/comic-studio" ]; then
  echo "== no built app in $DIST: building it (packaging/build.sh)"
  bash "$PKG/build.sh"
fi

echo "== app -> $T/lib/comic-studio"
mkdir -p "$T/lib" "$T/bin"
rm -rf "$T/lib/comic-studio.new"
cp -a "$DIST" "$T/lib/comic-studio.new"
rm -rf "$T/lib/comic-studio"
mv "$T/lib/comic-studio.new" "$T/lib/comic-studio"
ln -sfn "../lib/comic-studio/comic-studio" "$T/bin/comic-studio"

echo "== desktop entry, metainfo, file type"
install -Dm644 "$HERE/$APP_ID.metainfo.xml" "$T/share/metainfo/$APP_ID.metainfo.xml"
install -Dm644 "$HERE/$APP_ID.mime.xml" "$T/share/mime/packages/$APP_ID.xml"
mkdir -p "$T/share/applications"
# absolute Exec/TryExec: ~/.local/bin is not on every desktop session's PATH
sed -e "s|^Exec=comic-studio |Exec=$PREFIX/bin/comic-studio |" \
  -e "s|^TryExec=comic-studio$|TryExec=$PREFIX/bin/comic-studio|" \
  "$HERE/$APP_ID.desktop" >"$T/share/applications/$APP_ID.desktop"
chmod 644 "$T/share/applications/$APP_ID.desktop"

echo "== icons"
for dir in "$ICONS"/*/; do
  size=$(basename "$dir")
  for f in "$dir"apps/"$APP_ID".*; do
    ext=${f##*.}
    install -Dm644 "$f" "$T/share/icons/hicolor/$size/apps/$APP_ID.$ext"
    install -Dm644 "$f" "$T/share/icons/hicolor/$size/mimetypes/$MIME_ICON.$ext"
  done
done

refresh_caches
if [ -z "$DESTDIR" ] && [ "$PREFIX" = "$HOME/.local" ] && command -v xdg-mime >/dev/null; then
  xdg-mime default "$APP_ID.desktop" application/x-comic-studio-project || true
fi

echo "Comic Studio $("$T/bin/comic-studio" --version | cut -d' ' -f2) installed in $T"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "note: $PREFIX/bin is not on your PATH; the menu entry works regardless." ;;
esac
