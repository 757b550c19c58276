#!/usr/bin/env bash
# Install Desktop Chat for this user: the app, a launcher, the menu entry, icons, MIME type, metainfo.
# Run it from the unpacked tarball: ./install.sh   (nothing needs root; XDG_DATA_HOME is respected)
set -euo pipefail

APP_ID=org.desktopchat.DesktopChat
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
APP_DIR=$DATA/desktop-chat/app
LAUNCHER=$BIN/desktop-chat
MARKER="# Desktop Chat launcher, written by install.sh"
ICON_SIZES="16 24 32 48 64 128 256 512"

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

[ -x "$SRC/desktop-chat/desktop-chat" ] || fail "no app next to this script ($SRC/desktop-chat/desktop-chat); run it from the unpacked tarball."
[ -n "${HOME:-}" ] || fail "HOME is not set."
case "$APP_DIR" in
    *[\"\`\$\\%]* | *$'\n'*)
        fail "the install folder $APP_DIR has a character a menu entry cannot hold (\" \` \$ \\ %); set XDG_DATA_HOME to a plain path." ;;
esac

# The app: copied next to the old one, then swapped in, so a failed copy leaves the old app working.
mkdir -p "$DATA/desktop-chat"
rm -rf "$APP_DIR.new" "$APP_DIR.old"
cp -R "$SRC/desktop-chat" "$APP_DIR.new" || { rm -rf "$APP_DIR.new"; fail "could not copy the app to $APP_DIR (is the disk full?)."; }
cp "$SRC/uninstall.sh" "$APP_DIR.new/uninstall.sh"
chmod +x "$APP_DIR.new/uninstall.sh"
if [ -e "$APP_DIR" ]; then mv "$APP_DIR" "$APP_DIR.old"; fi
mv "$APP_DIR.new" "$APP_DIR"
rm -rf "$APP_DIR.old"

# The launcher: never replace a desktop-chat someone else put there (pip install --user does).
mkdir -p "$BIN"
if [ -e "$LAUNCHER" ] && ! grep -qF "$MARKER" "$LAUNCHER" 2>/dev/null; then
    echo "install.sh: $LAUNCHER already exists and is not ours; left it alone (the menu entry still works)." >&2
else
    printf '#!/bin/sh\n%s\nexec "%s/desktop-chat" "$@"\n' "$MARKER" "$APP_DIR" > "$LAUNCHER"
    chmod +x "$LAUNCHER"
fi

# The menu entry runs the app by its absolute path: ~/.local/bin is not on every PATH.
mkdir -p "$DATA/applications"
sed_path=$(printf '%s' "$APP_DIR" | sed 's/[&|]/\\&/g')
sed "s|^Exec=desktop-chat |Exec=\"$sed_path/desktop-chat\" |" "$SRC/share/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"

for size in $ICON_SIZES; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$SRC/share/icons/desktop-chat-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$SRC/share/icons/desktop-chat.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"

mkdir -p "$DATA/mime/packages" "$DATA/metainfo"
cp "$SRC/share/$APP_ID-mime.xml" "$DATA/mime/packages/$APP_ID-mime.xml"
cp "$SRC/share/$APP_ID.metainfo.xml" "$DATA/metainfo/$APP_ID.metainfo.xml"

# The desktop's caches, refreshed where their tools exist; a failure here only delays the menu.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA/applications" || true
fi
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true
fi

echo "Desktop Chat is installed in $APP_DIR."
echo "Start it from your application menu, or run: $LAUNCHER"
case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "($BIN is not on your PATH; the menu entry works anyway.)" ;;
esac
echo "To remove it: $APP_DIR/uninstall.sh   (add --purge to delete your conversations and models too)"
