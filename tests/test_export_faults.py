"""``export --model`` onto symbolic links, two exports to one target at once, and the hidden
temporary folders a killed export or cache write leaves: one line each, never a traceback,
and leftovers cleaned at the next start (when stale and no longer locked)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli.commands import main as cli_main
from transfer_explorer.engine import UserError, run
from transfer_explorer.engine.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
HOUR_AGO = time.time() - 3600


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A finished demo run: (database, store row, curves)."""
    db = tmp_path_factory.mktemp("trained") / "runs.sqlite"
    result = run(tiny_config(training__epochs=1), db=db)
    assert result.status == "finished", result.error
    with Store(db) as store:
        return db, store.get_run(result.run_id), store.curves(result.run_id)


def export(trained, target):
    from transfer_explorer.engine.saved.export import export_model

    _, row, curves = trained
    return export_model(row, curves, target)


def cli_export(trained, target, capsys) -> tuple[int, str]:
    db, row, _ = trained
    code = cli_main(["export", str(row["id"]), "--model", str(target), "--db", str(db)])
    return code, capsys.readouterr().err


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def age(path: Path, when: float = HOUR_AGO) -> Path:
    os.utime(path, (when, when))
    return path


# ---- symbolic links ---------------------------------------------------------------------------


def test_a_link_to_an_empty_folder_is_followed(trained, tmp_path, capsys):
    """Decided: the model is written into the folder the link points at; the link stays."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    code, err = cli_export(trained, link, capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real
    assert (real / "model.json").is_file() and (real / "model.safetensors").is_file()
    assert (link / "README.md").is_file()
    assert hidden(tmp_path) == [] and ".writing.lock" not in os.listdir(real)


@pytest.mark.parametrize("kind", ["dangling", "file", "full folder", "loop"])
def test_a_link_to_anything_else_is_refused_in_one_line(trained, tmp_path, capsys, kind):
    link = tmp_path / "link"
    points = tmp_path / "elsewhere"
    if kind == "file":
        points.write_text("mine")
    elif kind == "full folder":
        points.mkdir()
        (points / "keep.txt").write_text("mine")
    elif kind == "loop":
        points.symlink_to(link)
    link.symlink_to(points)
    before = sorted(os.listdir(tmp_path))
    result = None
    try:
        export(trained, link)
    except Exception as exc:  # noqa: BLE001
        result = exc
    assert isinstance(result, UserError), repr(result)
    message = str(result)
    assert message.startswith(f"--model {link}: a symbolic link to ") and "\n" not in message
    assert str(points) in message  # says where it points
    assert sorted(os.listdir(tmp_path)) == before  # nothing written, no temporary left
    assert link.is_symlink() and os.readlink(link) == str(points)
    code, err = cli_export(trained, link, capsys)
    assert code == 2 and err == f"error: {message}\n"


# ---- two exports to one target ----------------------------------------------------------------


@pytest.mark.parametrize("empty_folder_first", [False, True])
def test_two_exports_to_one_target_one_wins_the_other_gets_one_line(
    trained, tmp_path, monkeypatch, empty_folder_first
):
    """Deterministic race: while export A writes its card, export B runs to the end and
    lands; A's rename then finds the target taken."""
    from transfer_explorer.engine.saved import export as export_module

    target = tmp_path / "model"
    if empty_folder_first:
        target.mkdir()
    write_card = export_module._write_card
    calls = []

    def card_then_other_export(*args, **kwargs):
        write_card(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # A: B starts and finishes now, before A lands
            export(trained, target)

    monkeypatch.setattr(export_module, "_write_card", card_then_other_export)
    result = None
    try:
        export(trained, target)
    except Exception as exc:  # noqa: BLE001
        result = exc
    assert isinstance(result, UserError), repr(result)
    assert str(result) == (
        f"--model {target}: no longer a new or empty folder — another "
        "export wrote it meanwhile; nothing was changed"
    )
    # B's folder is whole and untouched; A left nothing beside it
    assert json.loads((target / "model.json").read_text())["kind"] == "own"
    assert sorted(os.listdir(target)) == [
        "README.md",
        "curves.png",
        "model.json",
        "model.safetensors",
        "tokenizer.json",
    ]
    assert hidden(tmp_path) == []


def test_two_export_processes_at_once_never_show_a_traceback(trained, tmp_path):
    db, row, _ = trained
    target = tmp_path / "model"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "transfer_explorer.cli",
                "export",
                str(row["id"]),
                "--model",
                str(target),
                "--db",
                str(db),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 2], results
    loser = next(err for code, _, err in results if code == 2)
    assert loser.count("\n") == 1 and loser.startswith(f"error: --model {target}: "), loser
    assert "Traceback" not in loser
    assert (target / "model.safetensors").is_file() and hidden(tmp_path) == []


# ---- stale temporaries ------------------------------------------------------------------------


def test_stale_export_temporaries_are_cleaned_and_live_ones_kept(trained, tmp_path):
    from transfer_explorer.engine.disk.temp_folders import make_temp_dir

    stale = age(_folder(tmp_path / ".model.abcd1234"))  # a killed export's (no lock file)
    fresh = _folder(tmp_path / ".model.fresh123")  # recent: maybe a live export
    live = make_temp_dir(tmp_path, ".model.")  # locked: a live export, however old
    age(live.path)
    mine = age(_folder(tmp_path / ".model.backup"))  # not a name an export gives
    other = age(_folder(tmp_path / ".other.abcd1234"))  # another target's
    try:
        export(trained, tmp_path / "model")
        assert not stale.exists()
        assert fresh.exists() and live.path.exists() and mine.exists() and other.exists()
    finally:
        live.discard()


def test_a_killed_export_leaves_a_locked_temporary_that_the_next_export_cleans(trained, tmp_path):
    """A real kill: while it lives its temporary is locked (kept even when old); after
    SIGKILL the lock is gone and the next export to that target removes it."""
    db, row, curves = trained
    target = tmp_path / "model"
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import json, time
        from pathlib import Path
        import transfer_explorer.engine.saved.export as export
        def hang(*args, **kwargs):
            Path({str(ready)!r}).write_text("writing")
            time.sleep(600)
        export._write_card = hang
        from transfer_explorer.engine.store.database import Store
        with Store(Path({str(db)!r})) as store:
            row, curves = store.get_run({row["id"]}), store.curves({row["id"]})
        export.export_model(row, curves, Path({str(target)!r}))
    """),
        ],
        cwd=ROOT,
    )
    try:
        _wait_for(ready, child)
        [temp] = [tmp_path / name for name in hidden(tmp_path)]
        assert temp.name.startswith(".model.")
        age(temp)
        from transfer_explorer.engine.disk.temp_folders import clean_stale, sibling_pattern

        assert clean_stale(tmp_path, sibling_pattern("model")) == []  # locked: in use
        assert temp.exists()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert temp.exists()  # what the kill left
    export(trained, target)
    assert not temp.exists() and hidden(tmp_path) == []
    assert (target / "model.json").is_file()


def test_a_killed_upstream_cache_write_is_cleaned_when_the_cache_is_next_used(tmp_path):
    import torch

    from transfer_explorer.engine.upstream import cache

    upstream = tmp_path / "upstream"
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        import torch
        from transfer_explorer.engine.upstream import cache
        def hang(*args, **kwargs):
            Path({str(ready)!r}).write_text("writing")
            time.sleep(600)
        cache.save_file = hang
        cache.save(Path({str(tmp_path)!r}), "0123456789abcdef0123", {{"w": torch.ones(2)}}, {{}})
    """),
        ],
        cwd=ROOT,
    )
    try:
        _wait_for(ready, child)
        [temp] = [upstream / name for name in hidden(upstream)]
        assert temp.name.startswith(".0123456789abcdef0123-")
        age(temp)
        assert cache.load(tmp_path, "0123456789abcdef0123") is None
        assert temp.exists()  # locked while its writer lives, however old
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    fresh = _folder(upstream / ".fedcba9876543210fedc-fresh123")  # recent: kept
    assert cache.load(tmp_path, "0123456789abcdef0123") is None  # a lookup cleans
    assert not temp.exists() and fresh.exists()
    age(fresh)
    cache.save(tmp_path, "aaaa", {"w": torch.ones(2)}, {})  # so does a save
    assert hidden(upstream) == []
    assert cache.load(tmp_path, "aaaa") is not None
    assert sorted(os.listdir(upstream / "aaaa")) == ["encoder.safetensors", "meta.json"]


def test_stale_tokenizer_and_weights_temporaries_are_cleaned(db, tmp_path):
    from transfer_explorer.engine.data import load_pairs
    from transfer_explorer.engine.disk.paths import runs_dir
    from transfer_explorer.engine.text import load_or_train_tokenizer

    tokenizers = tmp_path / "cache" / "tokenizers"
    tokenizers.mkdir(parents=True)
    old_style = age(_file(tokenizers / "0123abcd.4242.tmp"))
    new_style = age(_file(tokenizers / "0123abcd.k3j4h5g6.tmp"))
    fresh = _file(tokenizers / "0123abcd.4343.tmp")
    cached = age(_file(tokenizers / "feedbeef.json"))  # a cached tokenizer: never touched
    load_or_train_tokenizer(tmp_path / "cache", "0123abcd", load_pairs("demo").texts("train"), 300)
    assert not old_style.exists() and not new_style.exists()
    assert fresh.exists() and cached.exists()

    killed = runs_dir(db) / "7"  # a run killed while its weights were written
    killed.mkdir(parents=True)
    partial = age(_file(killed / "model.safetensors.tmp"))
    partial_new = age(_file(killed / "head.safetensors.abcd1234.tmp"))
    keep = age(_file(killed / "model.json"))
    result = run(tiny_config(training__epochs=1), db=db)
    assert result.status == "finished", result.error
    assert not partial.exists() and not partial_new.exists() and keep.exists()
    assert not [p for p in Path(result.artifacts).iterdir() if p.name.endswith(".tmp")]


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "part.bin").write_bytes(b"x")
    return path


def _file(path: Path) -> Path:
    path.write_bytes(b"partial")
    return path


def _wait_for(ready: Path, child: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not ready.exists():
        assert child.poll() is None, "the child process ended early"
        assert time.monotonic() < deadline, "the child never started writing"
        time.sleep(0.05)
