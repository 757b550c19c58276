#!/usr/bin/env bash
# macOS only (UNTESTED): packaging/macos/desktop-chat.icns from the rendered PNGs, for the .app bundle.
set -euo pipefail
cd "$(dirname "$0")"
icons=../../desktop_chat/resources/icons
set_dir=$(mktemp -d)/desktop-chat.iconset
mkdir -p "$set_dir"
for size in 16 32 128 256 512; do
    cp "$icons/desktop-chat-$size.png" "$set_dir/icon_${size}x${size}.png"
done
cp "$icons/desktop-chat-32.png" "$set_dir/icon_16x16@2x.png"
cp "$icons/desktop-chat-64.png" "$set_dir/icon_32x32@2x.png"
cp "$icons/desktop-chat-256.png" "$set_dir/icon_128x128@2x.png"
cp "$icons/desktop-chat-512.png" "$set_dir/icon_256x256@2x.png"
iconutil -c icns -o desktop-chat.icns "$set_dir"
echo "wrote packaging/macos/desktop-chat.icns"
