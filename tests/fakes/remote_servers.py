"""Real servers as child processes for the remote-engine tests: llama-cpp-python's own
OpenAI-compatible server with the starter model, and the fault-injecting fake."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "smollm"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(process: subprocess.Popen[bytes], url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up in {timeout_s} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def start_llama_server(model: Path, n_ctx: int = 2048) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--n_ctx", str(n_ctx), "--verbose", "False"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(process, url)
    except BaseException:
        stop(process)
        raise
    return process, url


def start_fake() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "tests.fakes.fake_openai", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(process, url, timeout_s=60)
    except BaseException:
        stop(process)
        raise
    return process, url


@contextlib.contextmanager
def running(started: tuple[subprocess.Popen[bytes], str]) -> Iterator[str]:
    process, url = started
    try:
        yield url
    finally:
        stop(process)


def start_own_server(model: Path, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`desktop-chat serve` (our own API, helper C's server/) on the starter model."""
    import os

    port = free_port()
    command = [sys.executable, "-m", "desktop_chat", "serve", "--model", str(model)]
    command += ["--port", str(port)]
    env = {**os.environ, "DESKTOP_CHAT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(process, url)
    except BaseException:
        stop(process)
        raise
    return process, url
