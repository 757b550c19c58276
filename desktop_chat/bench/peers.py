"""`bench --peers`: llama.cpp's llama-bench and llama-server, built from the binding's source."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

BINARIES = ("llama-bench", "llama-server")
SERVER_READY_S = 120.0


class PeersNotBuilt(RuntimeError):
    """The peers are not built and building them was not asked for; str() says how."""


@dataclass(frozen=True)
class Peers:
    bench: Path
    server: Path


def peers_dir(cache: Path, version: str) -> Path:
    return cache / "peers" / f"llama-cpp-python-{version}"


def not_built_message(cache: Path, version: str) -> str:
    return (
        f"llama.cpp's llama-bench and llama-server are not built yet for llama-cpp-python "
        f"{version} (looked in {peers_dir(cache, version) / 'build' / 'bin'}). Run "
        "`desktop-chat bench --peers --build-peers` once: it downloads the binding's source "
        "from PyPI and builds them (minutes, once)."
    )


def find(cache: Path, version: str) -> Peers | None:
    bin_dir = peers_dir(cache, version) / "build" / "bin"
    paths = [bin_dir / name for name in BINARIES]
    if all(p.is_file() and os.access(p, os.X_OK) for p in paths):
        return Peers(*paths)
    return None


def download_command(version: str, target: Path) -> list[str]:
    """The binding's sdist, which vendors the very llama.cpp it was built from."""
    return [
        sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
        f"llama-cpp-python=={version}", "-d", str(target),
    ]  # fmt: skip


def build_commands(source: Path, build: Path, jobs: int) -> list[list[str]]:
    """cmake configure + build of the two tools only, CPU backend, at the lowest priority."""
    nice = ["nice", "-n", "19"] if shutil.which("nice") else []
    configure = [
        "cmake", "-S", str(source), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
        "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=ON",
        "-DLLAMA_BUILD_TOOLS=ON", "-DBUILD_SHARED_LIBS=OFF",
        # Nothing fetched at build time (the web UI comes from a bucket) and no TLS needed.
        "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_HTML=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF",
    ]  # fmt: skip
    compile_ = [
        "cmake", "--build", str(build), "--config", "Release", "-j", str(jobs),
        "--target", *BINARIES,
    ]  # fmt: skip
    return [nice + configure, nice + compile_]


def build(cache: Path, version: str, jobs: int = 0) -> Peers:
    """Download the sdist, unpack its vendor/llama.cpp and build; once per version."""
    root = peers_dir(cache, version)
    root.mkdir(parents=True, exist_ok=True)
    sdists = sorted(root.glob("llama_cpp_python-*.tar.gz"))
    if not sdists:
        subprocess.run(download_command(version, root), check=True)
        sdists = sorted(root.glob("llama_cpp_python-*.tar.gz"))
    source = root / "src"
    if not (source / "CMakeLists.txt").is_file():
        with tarfile.open(sdists[-1]) as archive:
            prefix = archive.getnames()[0].split("/")[0] + "/vendor/llama.cpp/"
            members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
            for member in members:
                member.name = member.name[len(prefix) :]
            archive.extractall(source, members=[m for m in members if m.name], filter="data")
    for command in build_commands(source, root / "build", jobs or os.cpu_count() or 1):
        subprocess.run(command, check=True)
    found = find(cache, version)
    if found is None:
        raise RuntimeError(f"the build finished without {', '.join(BINARIES)}")
    return found


def llama_bench_command(
    binary: Path, model: Path, threads: int, flash_attn: bool, tokens: int
) -> list[str]:
    return [
        str(binary), "-m", str(model), "-t", str(threads), "-fa", "on" if flash_attn else "off",
        "-p", "0", "-n", str(tokens), "-r", "3", "-o", "json",
    ]  # fmt: skip


def llama_bench_tokens_per_s(
    binary: Path,
    model: Path,
    threads: int,
    flash_attn: bool,
    tokens: int = 160,
    env: dict[str, str] | None = None,
) -> float:
    """llama.cpp's own generation speed (its mean over three repetitions)."""
    done = subprocess.run(
        llama_bench_command(binary, model, threads, flash_attn, tokens),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rows = json.loads(done.stdout)
    return float(next(r["avg_ts"] for r in rows if int(r.get("n_gen", 0)) > 0))


def server_command(
    binary: Path, model: Path, threads: int, flash_attn: bool, port: int, n_ctx: int
) -> list[str]:
    return [
        str(binary), "-m", str(model), "-t", str(threads), "-c", str(n_ctx),
        "-fa", "on" if flash_attn else "off", "--host", "127.0.0.1", "--port", str(port),
        "--no-webui",
    ]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_tokens_per_s(
    binary: Path,
    model: Path,
    threads: int,
    flash_attn: bool,
    messages: list[dict[str, str]],
    max_tokens: int,
    temperature: float,
    n_ctx: int = 2048,
    env: dict[str, str] | None = None,
) -> float:
    """Tokens/s of an answer streamed through llama-server's OpenAI API, as a client sees it."""
    port = _free_port()
    process = subprocess.Popen(
        server_command(binary, model, threads, flash_attn, port, n_ctx),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + SERVER_READY_S
            while client_ready(client) is False:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("llama-server did not start")
                time.sleep(0.2)
            body = {
                "messages": messages,
                "max_tokens": max_tokens,
                "temperature": temperature,
                "seed": 1234,
                "stream": True,
            }
            arrivals: list[float] = []
            with client.stream("POST", "/v1/chat/completions", json=body) as response:
                for line in response.iter_lines():
                    if not line.startswith("data: ") or line == "data: [DONE]":
                        continue
                    delta = json.loads(line[6:])["choices"][0].get("delta", {})
                    if delta.get("content"):
                        arrivals.append(time.perf_counter())
        span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
        return (len(arrivals) - 1) / span if span > 0 else 0.0
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client_ready(client: httpx.Client) -> bool:
    try:
        return client.get("/health").status_code == 200
    except httpx.HTTPError:
        return False
