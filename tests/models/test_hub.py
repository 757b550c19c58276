"""Hub search and file listing through huggingface_hub against the fake Hub; fast offline."""

from __future__ import annotations

import socket
import threading

import pytest

from desktop_chat.models import hub
from tests.fakes.fake_hub import FakeHub, SilentPort, closed_port_url, payload, sha256


@pytest.fixture
def repos(fake_hub: FakeHub) -> FakeHub:
    for i in range(5):
        fake_hub.add_repo(f"org/model{i}-GGUF", {f"m{i}-Q4_K_M.gguf": payload(100)}, downloads=i)
    fake_hub.add_repo("org/plain", {"weights.bin": b"x"}, tags=["pytorch"])
    fake_hub.add_repo(
        "org/split-GGUF",
        {
            "Q8_0/big-Q8_0-00001-of-00002.gguf": payload(300),
            "Q8_0/big-Q8_0-00002-of-00002.gguf": payload(200, seed=2),
            "big-IQ4_XS.gguf": payload(150),
            "README.md": b"readme",
        },
    )
    fake_hub.add_repo("org/gated-GGUF", {"g-Q4_0.gguf": payload(10)}, gated=True)
    return fake_hub


def test_search_sorted_and_paged(repos: FakeHub) -> None:
    first = hub.search("model", limit=3)
    assert [r.repo_id for r in first] == ["org/model4-GGUF", "org/model3-GGUF", "org/model2-GGUF"]
    second = hub.search("model", limit=3, offset=3)
    assert [r.repo_id for r in second] == ["org/model1-GGUF", "org/model0-GGUF"]
    assert all("plain" not in r.repo_id for r in hub.search("", limit=50))


def test_files_grouped_with_sizes_quants_and_sha(repos: FakeHub) -> None:
    files = hub.list_gguf_files("org/split-GGUF")
    assert [f.filename for f in files] == ["big-IQ4_XS.gguf", "Q8_0/big-Q8_0-00001-of-00002.gguf"]
    single, split = files
    assert (single.quant, single.size, single.sha256) == ("IQ4_XS", 150, sha256(payload(150)))
    assert split.is_split and split.size == 500 and split.quant == "Q8_0"
    assert split.parts[1].sha256 == sha256(payload(200, seed=2))


def test_missing_and_gated_repos(repos: FakeHub) -> None:
    with pytest.raises(hub.HubNotFound, match="no repository named org/nope"):
        hub.list_gguf_files("org/nope")
    with pytest.raises(hub.HubAuthRequired, match="gated"):
        hub.list_gguf_files("org/gated-GGUF")
    assert [f.filename for f in hub.list_gguf_files("org/gated-GGUF", token="good-token")] == [
        "g-Q4_0.gguf"
    ]


def test_endpoint_and_urls_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9/")
    assert hub.endpoint() == "http://127.0.0.1:9"
    assert hub.file_url("a/b", "x y.gguf") == "http://127.0.0.1:9/a/b/resolve/main/x%20y.gguf"


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("qwen2.5-0.5b-instruct-q4_k_m.gguf", "Q4_K_M"),
        ("gemma-3-1b-it-UD-Q4_K_XL.gguf", "Q4_K_XL"),
        ("Phi-4-mini-instruct.BF16.gguf", "BF16"),
        ("x-IQ4_XS-00001-of-00003.gguf", "IQ4_XS"),
        ("model-fp16.gguf", "F16"),
        ("model.gguf", None),
    ],
)
def test_parse_quant(name: str, quant: str | None) -> None:
    assert hub.parse_quant(name) == quant


def _offline_from_the_probe(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline is decided by the bounded probe; huggingface_hub (and its ~23 s of retries)
    is never reached."""
    monkeypatch.setenv("HF_ENDPOINT", url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    reasons: list[str | None] = []
    real_probe = hub.probe_error

    def probe(base: str | None = None, timeout: float = hub.PROBE_TIMEOUT_S) -> str | None:
        reasons.append(real_probe(base, timeout))
        return reasons[-1]

    def no_library(_token: str | None) -> None:
        raise AssertionError("the Hub library was called although the probe failed")

    monkeypatch.setattr(hub, "probe_error", probe)
    monkeypatch.setattr(hub, "_api", no_library)
    with pytest.raises(hub.HubOffline, match="Offline"):
        hub.search("qwen")
    assert len(reasons) == 1 and reasons[0] is not None


def test_offline_closed_port_is_decided_by_the_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    _offline_from_the_probe(closed_port_url(), monkeypatch)
    assert "Connection" in (hub.probe_error(closed_port_url()) or "")


def test_offline_silent_server_is_decided_by_the_probe_timeout(
    silent_port: SilentPort, monkeypatch: pytest.MonkeyPatch
) -> None:
    _offline_from_the_probe(silent_port.url, monkeypatch)
    assert "timed out" in (hub.probe_error(silent_port.url, timeout=0.2) or "")


def test_a_resolver_that_never_answers_is_abandoned_and_the_probe_says_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entered = threading.Event()
    release = threading.Event()
    real_getaddrinfo = socket.getaddrinfo

    def hanging_getaddrinfo(host: str, *args: object, **kwargs: object) -> object:
        if host != "hub.invalid":
            return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        entered.set()
        release.wait(60)  # a DNS server that never answers
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def lookups() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "hub-dns-hub.invalid"]

    monkeypatch.setattr(socket, "getaddrinfo", hanging_getaddrinfo)
    try:
        reason = hub.probe_error("https://hub.invalid", timeout=0.2)
        assert reason is not None and "was not resolved" in reason
        assert entered.is_set()
        hanging = lookups()
        assert len(hanging) == 1 and hanging[0].is_alive()  # abandoned while it still hangs
        # Asking again waits on the same lookup instead of piling up threads.
        assert hub.probe_error("https://hub.invalid", timeout=0.05) is not None
        assert lookups() == hanging
        monkeypatch.setenv("HF_ENDPOINT", "https://hub.invalid")
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        with pytest.raises(hub.HubOffline, match="Offline"):
            hub.search("qwen")
        assert hub.online_check() is not None
    finally:
        release.set()
    for thread in lookups():
        thread.join(10)
    assert lookups() == []


def test_the_probe_reaches_a_named_host_through_its_own_resolution(fake_hub: FakeHub) -> None:
    assert hub.probe_error(fake_hub.url.replace("127.0.0.1", "localhost")) is None
    assert hub.online_check() is None


def test_offline_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(hub.HubOffline, match="HF_HUB_OFFLINE"):
        hub.list_gguf_files("org/x")
