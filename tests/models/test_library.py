"""The local library: folder scan, split grouping, import by copy or link, delete, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.models import library, starter
from desktop_chat.models.gguf_info import InvalidModelFile
from desktop_chat.models.library import LibraryError, Source
from tests.models.gguf_factory import write_tiny_gguf


def test_scan_lists_folder_split_invalid_and_starter(tmp_path: Path) -> None:
    models = paths.models_dir()
    write_tiny_gguf(models / "solo.gguf", name="Solo")
    for i in (1, 2, 3):
        write_tiny_gguf(models / f"big-{i:05d}-of-00003.gguf", split=(i - 1, 3))
    (models / "broken.gguf").write_bytes(b"not a model at all")
    (models / "partial.gguf.part").write_bytes(b"GGUF")
    entries = library.scan()
    by_name = {e.path.name: e for e in entries}
    assert "big-00002-of-00003.gguf" not in by_name
    assert by_name["big-00001-of-00003.gguf"].info is not None
    assert by_name["big-00001-of-00003.gguf"].info.split_count == 3  # type: ignore[union-attr]
    assert by_name["solo.gguf"].display_name == "Solo"
    assert by_name["broken.gguf"].error and "not a GGUF" in by_name["broken.gguf"].error
    assert "partial.gguf.part" not in by_name
    if starter.smollm2_path() is not None:
        assert any(e.source is Source.STARTER for e in entries)


def test_import_copy_and_link(tmp_path: Path) -> None:
    source = write_tiny_gguf(tmp_path / "outside.gguf", name="Outside")
    copied = library.import_model(source)
    assert copied.source is Source.FOLDER and copied.path.parent == paths.models_dir().resolve()
    with pytest.raises(LibraryError, match="already in the models folder"):
        library.import_model(source)
    other = write_tiny_gguf(tmp_path / "linked.gguf", name="Linked")
    linked = library.import_model(other, link=True)
    assert linked.source is Source.REGISTERED
    assert any(e.path == other.resolve() for e in library.scan())
    library.delete_model(other)  # unregisters, leaves the file
    assert other.exists()
    assert all(e.path != other.resolve() for e in library.scan())
    library.delete_model(copied.path)
    assert not copied.path.exists() and source.exists()


def test_import_rejects_invalid_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + bytes(10))
    with pytest.raises(InvalidModelFile):
        library.import_model(bad)
    assert not any(paths.models_dir().iterdir())


def test_delete_split_removes_every_shard() -> None:
    models = paths.models_dir()
    for i in (1, 2):
        write_tiny_gguf(models / f"s-{i:05d}-of-00002.gguf", split=(i - 1, 2))
    library.delete_model(models / "s-00001-of-00002.gguf")
    assert not list(models.glob("s-*"))


def test_delete_refuses_files_outside_the_library(tmp_path: Path) -> None:
    outside = write_tiny_gguf(tmp_path / "keep.gguf")
    with pytest.raises(LibraryError, match="not in the model library"):
        library.delete_model(outside)
    assert outside.exists()
    smol = starter.smollm2_path()
    if smol is not None:
        with pytest.raises(LibraryError, match="starter"):
            library.delete_model(smol)


def test_corrupt_registry_is_moved_aside() -> None:
    library.registry_file().write_text("{nope", encoding="utf-8")
    assert library.registered_paths() == []
    assert list(paths.data_dir().glob("registered_models.json.corrupt-*"))


def test_a_deeply_nested_registry_is_moved_aside_not_a_recursion_error() -> None:
    library.registry_file().write_text('{"paths": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert library.registered_paths() == []
    assert not library.registry_file().exists()
    assert list(paths.data_dir().glob("registered_models.json.corrupt-*"))
    assert library.registered_paths() == []
