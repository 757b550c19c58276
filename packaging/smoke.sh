#!/usr/bin/env bash
# Run the built bundle with a bare environment (no venv, no Python on PATH): --version, --self-test, chat.
# Usage: bash packaging/smoke.sh [APP]   (APP defaults to dist/desktop-chat/desktop-chat)
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-dist/desktop-chat/desktop-chat}
[ -x "$app" ] || { echo "smoke.sh: no bundle at $app; run bash packaging/build.sh first" >&2; exit 1; }
app=$(cd "$(dirname "$app")" && pwd)/$(basename "$app")

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
bare() {
    env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
fail() {
    echo "smoke.sh: FAILED: $*" >&2
    exit 1
}

# The xcb plugin must find its helper libraries inside the bundle, not on this build machine.
internal=$(dirname "$app")/_internal
if [ -d "$internal" ]; then
    echo "== xcb libraries in the bundle"
    plugin=$internal/PySide6/Qt/plugins/platforms/libqxcb.so
    [ -f "$plugin" ] || fail "the xcb platform plugin is not in the bundle"
    for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0 \
        libxcb-render-util.so.0 libxkbcommon-x11.so.0; do
        [ -e "$internal/$lib" ] || fail "$lib is not in the bundle"
    done
    if command -v ldd >/dev/null 2>&1; then
        unresolved=$(LD_LIBRARY_PATH=$internal ldd "$plugin" | grep "not found" || true)
        [ -z "$unresolved" ] || fail "the xcb plugin lacks: $unresolved"
    fi
fi

echo "== --version"
out=$(bare "$app" --version 2>&1) || fail "--version exited $?: $out"
echo "$out"
case "$out" in "desktop-chat "*) ;; *) fail "--version printed: $out" ;; esac

echo "== --self-test (offscreen)"
out=$(bare QT_QPA_PLATFORM=offscreen timeout 300 "$app" --self-test 2>&1) || fail "--self-test exited $?: $out"
echo "$out" | tail -n 3
echo "$out" | grep -q '"ok": true' || fail "--self-test did not print \"ok\": true"

echo "== chat \"Hello\""
out=$(bare timeout 300 "$app" chat "Hello" 2>&1) || fail "chat exited $?: $out"
echo "$out" | tail -n 5
[ -n "$(echo "$out" | tr -d '[:space:]')" ] || fail "chat printed nothing"

echo "smoke.sh: ok"
