"""The peers: how they are built and run, 'not built yet', and their figures from fake peers."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_chat.bench import peers

FAKE_BENCH = """\
import json, sys
args = sys.argv[1:]
assert args[args.index("-fa") + 1] in ("on", "off")
print(json.dumps([{"n_prompt": 0, "n_gen": int(args[args.index("-n") + 1]), "avg_ts": 1000.0}]))
"""

FAKE_SERVER = """\
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
args = sys.argv[1:]
port = int(args[args.index("--port") + 1])

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i in range(body["max_tokens"]):
            delta = {"choices": [{"delta": {"content": f"w{i} "}}]}
            self.wfile.write(f"data: {json.dumps(delta)}\\n\\n".encode())
            self.wfile.flush()
            time.sleep(0.001)
        self.wfile.write(b"data: [DONE]\\n\\n")

HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def _install_fakes(cache: Path, version: str) -> peers.Peers:
    bin_dir = peers.peers_dir(cache, version) / "build" / "bin"
    bin_dir.mkdir(parents=True)
    for name, source in (("llama-bench", FAKE_BENCH), ("llama-server", FAKE_SERVER)):
        script = bin_dir / name
        script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(source))
        script.chmod(0o755)
    found = peers.find(cache, version)
    assert found is not None
    return found


def test_the_build_uses_the_vendored_source_at_low_priority(tmp_path: Path) -> None:
    download = peers.download_command("0.3.36", tmp_path)
    assert download[1:4] == ["-m", "pip", "download"]
    assert "llama-cpp-python==0.3.36" in download and ":all:" in download
    configure, build = peers.build_commands(tmp_path / "src", tmp_path / "build", 2)
    assert configure[:3] == ["nice", "-n", "19"] and "cmake" in configure
    assert "-DLLAMA_USE_PREBUILT_UI=OFF" in configure  # nothing fetched while building
    assert "-DCMAKE_BUILD_TYPE=Release" in configure
    assert build[-2:] == ["llama-bench", "llama-server"] and "-j" in build


def test_peers_get_the_same_threads_and_flash_attention(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    bench = peers.llama_bench_command(Path("llama-bench"), model, 2, True, 160)
    assert bench[bench.index("-t") + 1] == "2" and bench[bench.index("-fa") + 1] == "on"
    assert bench[bench.index("-n") + 1] == "160" and bench[bench.index("-p") + 1] == "0"
    server = peers.server_command(Path("llama-server"), model, 2, False, 8080, 2048)
    assert server[server.index("-fa") + 1] == "off" and server[server.index("-t") + 1] == "2"
    assert server[server.index("--host") + 1] == "127.0.0.1"


def test_missing_peers_are_not_found_and_the_message_says_how(tmp_path: Path) -> None:
    assert peers.find(tmp_path, "0.3.36") is None
    message = peers.not_built_message(tmp_path, "0.3.36")
    assert "not built yet" in message and "--build-peers" in message
    assert str(peers.peers_dir(tmp_path, "0.3.36")) in message


def test_fake_peers_are_measured_through_their_interfaces(tmp_path: Path) -> None:
    found = _install_fakes(tmp_path, "9.9.9")
    model = tmp_path / "m.gguf"
    assert peers.llama_bench_tokens_per_s(found.bench, model, 2, True, 16) == 1000.0
    messages = [{"role": "user", "content": "hi"}]
    rate = peers.server_tokens_per_s(found.server, model, 2, True, messages, 40, 0.0)
    assert rate > 0


def test_a_server_that_never_starts_is_an_error_not_a_hang(tmp_path: Path) -> None:
    broken = tmp_path / "llama-server"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(RuntimeError, match="did not start"):
        peers.server_tokens_per_s(broken, tmp_path / "m.gguf", 1, True, [], 8, 0.0)


def test_peer_figures_have_their_names(qtbot, tmp_path: Path, smollm_path: Path) -> None:
    from desktop_chat.bench import peers_bench

    found = _install_fakes(tmp_path, "9.9.9")
    figures = peers_bench.run(smollm_path, found, rounds=1)
    assert [f.name for f in figures] == [
        "engine tokens/s vs llama-bench",
        "engine tokens/s vs llama-server",
    ]
    assert all(f.value > 0 for f in figures)
    json.dumps([f.as_dict() for f in figures])
