#!/usr/bin/env bash
# Lay out the tarball's folder: stage.sh APP_DIR STAGE_DIR (APP_DIR is the PyInstaller onedir folder).
# build.sh uses it for the release; the install-script tests use it with a stand-in app.
set -euo pipefail
[ $# = 2 ] || { echo "usage: stage.sh APP_DIR STAGE_DIR" >&2; exit 2; }
app=$1
stage=$2
here=$(cd "$(dirname "$0")" && pwd)
icons=$here/../desktop_chat/resources/icons
APP_ID=org.desktopchat.DesktopChat

mkdir -p "$stage/share/icons"
# Hard links where the file system allows: the staged copy of a 300 MB app costs nothing.
cp -al "$app" "$stage/desktop-chat" 2>/dev/null || cp -a "$app" "$stage/desktop-chat"
cp "$here/install.sh" "$here/uninstall.sh" "$stage/"
chmod +x "$stage/install.sh" "$stage/uninstall.sh"
cp "$here/$APP_ID.desktop" "$here/$APP_ID.metainfo.xml" "$here/$APP_ID-mime.xml" "$stage/share/"
cp "$icons/desktop-chat.svg" "$icons"/desktop-chat-*.png "$stage/share/icons/"
