#!/usr/bin/env bash
# Remove what install.sh put in place. Conversations, models and settings stay unless --purge is given.
# Usage: uninstall.sh [--purge]
set -euo pipefail

APP_ID=org.desktopchat.DesktopChat
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
APP_DIR=$DATA/desktop-chat/app
LAUNCHER=$BIN/desktop-chat
MARKER="# Desktop Chat launcher, written by install.sh"
ICON_SIZES="16 24 32 48 64 128 256 512"

purge=0
for arg in "$@"; do
    case "$arg" in
        --purge) purge=1 ;;
        -h|--help) sed -n 2,3p "$0"; exit 0 ;;
        *) echo "uninstall.sh: unknown option $arg (only --purge)" >&2; exit 2 ;;
    esac
done

# Remove a file and the folders above it that this leaves empty, up to (not including) $2.
remove() {
    local path=$1 stop=$2 dir
    rm -f "$path"
    dir=$(dirname "$path")
    while [ "$dir" != "$stop" ] && [ "${#dir}" -gt "${#stop}" ]; do
        rmdir "$dir" 2>/dev/null || break
        dir=$(dirname "$dir")
    done
}

if [ -f "$LAUNCHER" ] && grep -qF "$MARKER" "$LAUNCHER" 2>/dev/null; then
    remove "$LAUNCHER" "$HOME"
fi
remove "$DATA/applications/$APP_ID.desktop" "$DATA"
for size in $ICON_SIZES; do
    remove "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png" "$DATA/icons/hicolor"
done
remove "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg" "$DATA/icons/hicolor"
remove "$DATA/mime/packages/$APP_ID-mime.xml" "$DATA/mime"
remove "$DATA/metainfo/$APP_ID.metainfo.xml" "$DATA"
rm -rf "$APP_DIR" "$APP_DIR.new" "$APP_DIR.old"

# The caches are refreshed; where our entries were the only ones, the caches themselves go too
# (they are generated from the files just removed, so nothing else is lost).
only_left() {  # only_left DIR NAME: DIR holds nothing but NAME
    [ -d "$1" ] && [ -z "$(find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" -print -quit)" ]
}
if only_left "$DATA/applications" mimeinfo.cache; then
    rm -rf "$DATA/applications"
elif command -v update-desktop-database >/dev/null 2>&1 && [ -d "$DATA/applications" ]; then
    update-desktop-database -q "$DATA/applications" || true
fi
if [ -d "$DATA/mime" ] && { [ ! -d "$DATA/mime/packages" ] || only_left "$DATA/mime/packages" ""; }; then
    rm -rf "$DATA/mime"
elif command -v update-mime-database >/dev/null 2>&1 && [ -d "$DATA/mime/packages" ]; then
    update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
fi
if only_left "$DATA/icons/hicolor" icon-theme.cache; then
    rm -rf "$DATA/icons/hicolor"
    rmdir "$DATA/icons" 2>/dev/null || true
elif command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/icon-theme.cache" ]; then
    gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true
fi

if [ "$purge" = 1 ]; then
    # The app's own folders (paths.py through platformdirs): data, settings, cache, logs.
    rm -rf "$DATA/desktop-chat" \
        "${XDG_CONFIG_HOME:-$HOME/.config}/desktop-chat" \
        "${XDG_CACHE_HOME:-$HOME/.cache}/desktop-chat" \
        "${XDG_STATE_HOME:-$HOME/.local/state}/desktop-chat"
    echo "Desktop Chat and all its data are removed."
    if [ -n "${DESKTOP_CHAT_HOME:-}" ]; then
        echo "DESKTOP_CHAT_HOME is set; its folder $DESKTOP_CHAT_HOME was left alone."
    fi
else
    rmdir "$DATA/desktop-chat" 2>/dev/null || true
    if [ -d "$DATA/desktop-chat" ]; then
        echo "Desktop Chat is removed. Your conversations and models stay in $DATA/desktop-chat"
        echo "(run uninstall.sh --purge to delete them)."
    else
        echo "Desktop Chat is removed."
    fi
fi
