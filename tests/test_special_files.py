"""Every file the app reads is checked to be a regular file after it is opened: a FIFO (or a
device, a socket) in a model folder, a checkpoint folder, the Hugging Face cache, the
tokenizer or upstream cache, or a word-vector package is one line — or, in the app's own
caches, damage that is rebuilt — never a wait for ever.

A test that would block does not hang the suite: a watchdog *process* (a thread could not
run while a Rust library blocks holding the GIL) opens the FIFOs for writing after a few
seconds, which ends the blocked read, and the test fails because the watchdog had to fire.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import types
from pathlib import Path

import pytest

from tests.checkpoints import tiny_bert
from tests.conftest import tiny_config
from transfer_explorer.cli.commands import main as cli_main
from transfer_explorer.engine import UserError, run
from transfer_explorer.engine.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
FIFO = ": a named pipe (FIFO), not a regular file"
WATCHDOG_AFTER = 5.0  # seconds: a read that has not returned by then is blocked

_WATCHDOG = textwrap.dedent("""
    import os, sys, time
    after, marker, *fifos = sys.argv[1:]
    time.sleep(float(after))
    while True:  # unblock every reader, again and again, until killed
        for fifo in fifos:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader: nobody is blocked on it
                continue
            open(marker, "a").write(fifo + "\\n")
            os.close(fd)
        time.sleep(0.05)
""")


@contextlib.contextmanager
def watchdog(*fifos: Path, after: float = WATCHDOG_AFTER):
    """Yields a list that, after the block, holds the FIFOs someone was blocked on."""
    marker = Path(tempfile.mkdtemp(prefix="watchdog-")) / "blocked"  # apart: code under test
    # may remove the FIFO's folder (a damaged cache entry)
    proc = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(after), str(marker), *map(str, fifos)]
    )
    blocked: list[str] = []
    try:
        yield blocked
    finally:
        proc.kill()
        proc.wait()
        if marker.exists():
            blocked += sorted(set(marker.read_text().split()))
        shutil.rmtree(marker.parent, ignore_errors=True)


def outcome(call):
    """The call's result, or the exception it raised (any kind)."""
    try:
        return call()
    except BaseException as exc:  # noqa: BLE001 — a traceback is a result to assert on
        return exc


def refused_in_one_line(result, fifo: Path, error=UserError) -> None:
    assert isinstance(result, error), f"expected a one-line {error.__name__}, got {result!r}"
    message = str(result)
    assert message.startswith(f"{fifo}{FIFO}"), message
    assert "\n" not in message


def make_fifo(path: Path) -> Path:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A finished demo run: (database, run id, its model folder) — copied, never changed."""
    db = tmp_path_factory.mktemp("trained") / "runs.sqlite"
    result = run(tiny_config(training__epochs=1), db=db)
    assert result.status == "finished", result.error
    return db, result.run_id, Path(result.artifacts)


@pytest.fixture(scope="module")
def bert_folder(tmp_path_factory):
    return tiny_bert(tmp_path_factory.mktemp("ckpt") / "tiny-bert")


def copy_of(folder: Path, tmp_path: Path, name: str = "model") -> Path:
    return Path(shutil.copytree(folder, tmp_path / name))


# ---- a run's model folder: load_model, Scorer, score, export ---------------------------------


@pytest.mark.parametrize("name", ["model.json", "model.safetensors", "tokenizer.json"])
def test_load_model_refuses_a_fifo_in_the_model_folder(trained, tmp_path, name):
    from transfer_explorer.engine.saved.predict import Model

    folder = copy_of(trained[2], tmp_path)
    fifo = make_fifo(folder / name)
    with watchdog(fifo) as blocked:
        result = outcome(lambda: Model(folder))
    assert not blocked, f"load_model blocked on {blocked}"
    refused_in_one_line(result, fifo)


@pytest.mark.parametrize("name", ["model.safetensors", "tokenizer.json"])
def test_score_refuses_a_fifo_in_the_run_folder(trained, tmp_path, capsys, name):
    """`transfer-explorer score RUN a b` on a run whose weights or tokenizer is a FIFO."""
    db, run_id, artifacts = trained
    saved = tmp_path / "saved"
    shutil.copytree(artifacts, saved)
    fifo = make_fifo(artifacts / name)
    try:
        with watchdog(fifo) as blocked:
            code = outcome(
                lambda: cli_main(["score", str(run_id), "a man", "a woman", "--db", str(db)])
            )
    finally:
        fifo.unlink()
        shutil.copy2(saved / name, artifacts / name)
    assert not blocked, f"score blocked on {blocked}"
    assert code == 2, code
    err = capsys.readouterr().err
    assert err.startswith(f"error: {fifo}{FIFO}") and err.count("\n") == 1, err


@pytest.mark.parametrize("name", ["model.json", "model.safetensors", "tokenizer.json"])
def test_export_refuses_a_fifo_in_the_run_folder_and_writes_nothing(trained, tmp_path, name):
    from transfer_explorer.engine.saved.export import export_model
    from transfer_explorer.engine.store.database import Store

    db, run_id, artifacts = trained
    with Store(db) as store:
        row, curves = store.get_run(run_id), store.curves(run_id)
    source = copy_of(artifacts, tmp_path, "source")
    fifo = make_fifo(source / name)
    out = tmp_path / "out"
    out.mkdir()
    with watchdog(fifo) as blocked:
        result = outcome(
            lambda: export_model({**row, "artifacts": str(source)}, curves, out / "exported")
        )
    assert not blocked, f"export blocked on {blocked}"
    refused_in_one_line(result, fifo)
    assert list(out.iterdir()) == []  # no target, no temporary folder


def test_the_cli_score_does_not_hang_on_a_fifo_weights_file(trained, tmp_path):
    """The whole program, in its own process: exit 2 and one line, within a minute."""
    db, run_id, artifacts = trained
    copy = tmp_path / "runs.sqlite"
    shutil.copy2(db, copy)
    models = copy.parent / f"{copy.stem}-models" / str(run_id)
    shutil.copytree(artifacts, models)
    import sqlite3

    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE runs SET artifacts = ? WHERE id = ?", (str(models), run_id))
    fifo = make_fifo(models / "model.safetensors")
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "transfer_explorer.cli",
                "score",
                str(run_id),
                "a",
                "b",
                "--db",
                str(copy),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=90,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("transfer-explorer score blocked on a FIFO")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"error: {fifo}{FIFO}") and proc.stderr.count("\n") == 1


# ---- Hugging Face checkpoints: local folders, the hub cache, a run's saved encoder -----------


@pytest.mark.parametrize(
    "name", ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
)
def test_a_checkpoint_folder_with_a_fifo_is_refused(bert_folder, tmp_path, name):
    from transfer_explorer.engine.models.hf import load_hf

    folder = copy_of(bert_folder, tmp_path, "bert")
    fifo = make_fifo(folder / name)
    with watchdog(fifo) as blocked:
        result = outcome(lambda: load_hf(str(folder)))
    assert not blocked, f"loading the checkpoint blocked on {blocked}"
    refused_in_one_line(result, fifo)


def hub_cache(source: Path, root: Path, repo: str) -> Path:
    """``source`` laid out as the Hugging Face cache keeps hub model ``repo``: snapshot links
    to blobs. Returns the snapshot folder."""
    owner, name = repo.split("/")
    folder = root / f"models--{owner}--{name}"
    snapshot = folder / "snapshots" / ("a" * 40)
    for sub in ("blobs", "refs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True)
    (folder / "refs" / "main").write_text("a" * 40)
    for file in source.iterdir():
        blob = folder / "blobs" / f"blob-{file.name}"
        shutil.copy2(file, blob)
        os.symlink(os.path.relpath(blob, snapshot), snapshot / file.name)
    return snapshot


def test_a_fifo_blob_in_the_hub_cache_is_refused(bert_folder, tmp_path, monkeypatch):
    """A hub name read from the cache: the snapshot's link leads to a FIFO blob."""
    from huggingface_hub import constants

    from transfer_explorer.engine.models.hf import load_hf

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    snapshot = hub_cache(bert_folder, tmp_path / "hub", "tiny/bert")
    load_hf("tiny/bert")  # the cache as laid out loads (offline)
    blob = (snapshot / "config.json").resolve()
    make_fifo(blob)
    with watchdog(blob) as blocked:
        result = outcome(lambda: load_hf("tiny/bert"))
    assert not blocked, f"loading from the hub cache blocked on {blocked}"
    assert isinstance(result, UserError), repr(result)
    assert FIFO in str(result) and "config.json" in str(result) and "\n" not in str(result)


def test_a_fifo_in_a_checkpoint_runs_saved_encoder_is_refused(bert_folder, db, tmp_path):
    from transfer_explorer.engine.saved.predict import Model

    result = run(
        tiny_config(
            upstream__task="hf",
            upstream__model=str(bert_folder),
            method="finetune",
            training__epochs=1,
        ),
        db=db,
    )
    assert result.status == "finished", result.error
    folder = copy_of(Path(result.artifacts), tmp_path)
    fifo = make_fifo(folder / "encoder" / "config.json")
    head = folder / "head.safetensors"
    with watchdog(fifo) as blocked:
        outcome_encoder = outcome(lambda: Model(folder))
    assert not blocked, f"load_model blocked on {blocked}"
    refused_in_one_line(outcome_encoder, fifo)
    fifo.unlink()
    shutil.copy2(Path(result.artifacts) / "encoder" / "config.json", fifo)
    make_fifo(head)
    with watchdog(head) as blocked:
        outcome_head = outcome(lambda: Model(folder))
    assert not blocked, f"load_model blocked on {blocked}"
    refused_in_one_line(outcome_head, head)


# ---- the app's own caches: a FIFO there is damage, rebuilt ----------------------------------


def test_a_fifo_in_the_tokenizer_cache_is_rebuilt(tmp_path):
    from transfer_explorer.engine.data import load_pairs
    from transfer_explorer.engine.text import load_or_train_tokenizer

    texts = load_pairs("demo").texts("train")
    (tmp_path / "tokenizers").mkdir()
    fifo = make_fifo(tmp_path / "tokenizers" / "0123abcd.json")
    with watchdog(fifo) as blocked:
        result = outcome(lambda: load_or_train_tokenizer(tmp_path, "0123abcd", texts, 300))
    assert not blocked, f"the tokenizer cache blocked on {blocked}"
    assert isinstance(result, tuple), repr(result)
    tokenizer, cached = result
    assert not cached and tokenizer.get_vocab_size() > 10
    assert fifo.is_file()  # the FIFO's place holds the rebuilt tokenizer
    assert load_or_train_tokenizer(tmp_path, "0123abcd", texts, 300)[1]


@pytest.mark.parametrize("name", ["meta.json", "encoder.safetensors"])
def test_a_fifo_in_the_upstream_cache_is_dropped(tmp_path, name):
    import torch

    from transfer_explorer.engine.upstream import cache

    folder = cache.save(tmp_path, "abc123", {"w": torch.ones(2, 2)}, {"metrics": {}})
    assert cache.load(tmp_path, "abc123") is not None
    fifo = make_fifo(folder / name)
    with watchdog(fifo) as blocked:
        result = outcome(lambda: cache.load(tmp_path, "abc123"))
    assert not blocked, f"the upstream cache blocked on {blocked}"
    assert result is None  # a damaged entry: dropped, trained again
    assert not folder.exists()


def test_a_fifo_in_a_word_vector_package_is_one_line(tmp_path, monkeypatch):
    """The installed GloVe package's .npy (np.load would wait on a FIFO) or index."""
    import numpy as np

    from transfer_explorer.engine.upstream.tasks import glove

    root = tmp_path / "pkg"
    root.mkdir()
    np.save(root / "glove_6B_50d_emb.npy", np.ones((3, 4), np.float32))
    monkeypatch.setitem(sys.modules, "fake_glove_package", types.SimpleNamespace(ROOT=str(root)))
    monkeypatch.setitem(glove.PACKAGES, "fake-glove", "fake_glove_package")
    assert glove.vector_dim("fake-glove") == 4
    fifo = make_fifo(root / "glove_6B_50d_emb.npy")
    with watchdog(fifo) as blocked:
        result = outcome(lambda: glove.vector_dim("fake-glove"))
    assert not blocked, f"the word vectors blocked on {blocked}"
    refused_in_one_line(result, fifo, ConfigError)


def test_a_fifo_sweep_or_config_file_is_still_one_line(tmp_path):
    from transfer_explorer.engine.config import ExperimentConfig
    from transfer_explorer.engine.sweep.grid import Sweep

    fifo = make_fifo(tmp_path / "exp.toml")
    with watchdog(fifo) as blocked:
        results = [
            outcome(lambda: ExperimentConfig.from_toml(fifo)),
            outcome(lambda: Sweep.from_toml(fifo)),
        ]
    assert not blocked
    for result in results:
        assert (
            isinstance(result, ConfigError)
            and str(result) == f"{fifo}: not a regular file, not a TOML file"
        )


# ---- the helper itself ------------------------------------------------------------------------


def test_safe_read_names_each_kind_of_special_file(tmp_path):
    from transfer_explorer.engine.disk import safe_read

    fifo = make_fifo(tmp_path / "pipe")
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        cases = [
            (fifo, "a named pipe (FIFO)"),
            (sock_path, "a socket"),
            (Path("/dev/null"), "a character device"),
            (tmp_path, "a folder"),
        ]
        for path, kind in cases:
            with watchdog(fifo) as blocked:
                for call in (safe_read.open_regular, safe_read.read_bytes, safe_read.read_text):
                    result = outcome(lambda: call(path, "a model file"))  # noqa: B023
                    assert isinstance(result, UserError), (path, result)
                    assert str(result) == (
                        f"{path}: {kind}, not a regular file; expected a model file"
                    )
            assert not blocked
    finally:
        sock.close()
    (tmp_path / "ok.txt").write_text("hello")
    assert safe_read.read_text(tmp_path / "ok.txt") == "hello"
    with pytest.raises(FileNotFoundError):
        safe_read.open_regular(tmp_path / "missing")


def test_check_folder_files_follows_links_and_skips_dangling_ones(tmp_path):
    from transfer_explorer.engine.disk.safe_read import check_folder_files

    folder = tmp_path / "model"
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "1_Pooling" / "config.json").write_text("{}")
    os.symlink(tmp_path / "nowhere", folder / "dangling")
    os.symlink(folder, folder / "1_Pooling" / "loop")  # a link back up: visited once
    check_folder_files(folder)  # fine
    fifo = make_fifo(tmp_path / "blob")
    os.symlink(fifo, folder / "1_Pooling" / "model.safetensors")
    with pytest.raises(UserError) as info:
        check_folder_files(folder, "a file of the checkpoint")
    assert str(info.value) == (
        f"{folder / '1_Pooling' / 'model.safetensors'}{FIFO}; expected a file of the checkpoint"
    )
