"""Pathological text for the project's tokenizers: bounded work per word and per sentence,
and Stop / SIGTERM obeyed while the Rust trainer runs.

The BPE trainer's cost grows with the square of a word's length: one word of 1 MB took many
minutes, ignoring Stop and SIGTERM all along. Words over ``MAX_WORD_CHARS`` and sentences over
``MAX_SENTENCE_CHARS`` are now cut before a tokenizer learns from them or encodes them, and
the log says so. No test here times the work: each asserts what makes it short (what the
trainer is given, what the vocabulary holds); the real command line runs in a subprocess
with a generous timeout, so code without the bound fails by timing out instead of hanging.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tokenizers import normalizers, pre_tokenizers

from transfer_explorer.engine import text
from transfer_explorer.engine.control import RunCancelled, RunControl, active
from transfer_explorer.engine.text import encode, train_tokenizer, train_word_tokenizer

# (read with defaults so that, on code without them, each test fails on its own)
MAX_WORD_CHARS = getattr(text, "MAX_WORD_CHARS", 1_000)
MAX_SENTENCE_CHARS = getattr(text, "MAX_SENTENCE_CHARS", 131_072)
ROOT = Path(__file__).resolve().parents[1]
NORMAL = [
    "a man is playing a guitar .",
    "a woman slices an onion .",
    "the cat sits on the mat",
    "two dogs run in the park",
    "someone plays the piano",
    "a child eats an apple",
] * 5


def train(kind: str, texts, **kwargs):
    return (
        train_tokenizer(texts, 300, **kwargs)
        if kind == "bpe"
        else train_word_tokenizer(texts, **kwargs)
    )


class Seen(Exception):
    """Raised by the recording iterator once the trainer has read all of its text."""


def trainer_input(monkeypatch, kind: str, texts) -> list[str]:
    """What the Rust trainer reads when asked to learn ``texts`` (training is cut short
    once it has read them all: only its input matters here)."""
    seen: list[str] = []

    def recording(items, every=1000):
        def read():
            for item in items:
                seen.append(item)
                yield item
            raise Seen

        return read()

    monkeypatch.setattr(text, "stoppable", recording)
    with pytest.raises(Exception) as info:
        train(kind, texts)
    assert "Seen" in repr(info.value) or isinstance(info.value, Seen), info.value
    return seen


def words(sentence: str) -> list[str]:
    """The words the project's tokenizers see in ``sentence`` (normalised, split)."""
    normalized = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()]).normalize_str(
        sentence
    )
    return [w for w, _ in pre_tokenizers.BertPreTokenizer().pre_tokenize_str(normalized)]


# ---- 1. what the trainer reads is bounded ------------------------------------------------------
PATHOLOGICAL = {
    "one 1 MB word": ["ab" * 500_000],
    "a 20 MB word inside a sentence": ["the cat " + "q" * 20_000_000 + " sat"],
    "full-width letters (NFKC makes them a long ASCII word)": ["\uff41" * 3_000],
    "a short run that NFKC lengthens past the limit": ["\u337f" * 300],  # ㍿ -> 株式会社
    "a 1 MB sentence of short words": [" ".join(["ab", "cd", "ef"] * 110_000)],
    "many medium-long words": [f"w{i}" + "xy" * 1_500 for i in range(200)]
    + [" ".join(f"s{i}" + "z" * 3_000 for i in range(40))],
}


@pytest.mark.parametrize("kind", ["bpe", "word"])
@pytest.mark.parametrize("case", list(PATHOLOGICAL))
def test_the_trainer_never_reads_a_word_or_sentence_over_the_limits(monkeypatch, kind, case):
    seen = trainer_input(monkeypatch, kind, NORMAL + PATHOLOGICAL[case])
    assert seen[: len(NORMAL)] == NORMAL  # normal sentences pass as they were
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in seen)
    assert max(len(w) for s in seen for w in words(s)) <= MAX_WORD_CHARS


@pytest.mark.parametrize("kind", ["bpe", "word"])
def test_a_long_word_is_cut_to_the_limit_not_dropped(kind):
    vocab = train(kind, NORMAL + ["x" * 5_000] * 2).get_vocab()
    assert max(map(len, vocab)) <= MAX_WORD_CHARS
    if kind == "word":  # the word is kept, cut: a word-level vocabulary holds it whole
        assert "x" * MAX_WORD_CHARS in vocab and "x" * 5_000 not in vocab


def test_normal_text_reaches_the_trainer_unchanged(monkeypatch):
    """Words and sentences within the limits are not touched, so cached tokenizers and
    reference numbers stay valid: e.g. NSMC's longest word (140 ㅋ), a long URL (many short
    words between its punctuation), accents, Hangul, full-width text."""
    normal = NORMAL + [
        "ㅋ" * 140,
        "see http://" + "a/" * 3_000 + " ok",
        "Ｆｕｌｌ ｗｉｄｔｈ",
        "영화 정말 재밌어요 ㅎㅎ",
        "café naïve",
        "x" * MAX_WORD_CHARS,
        " ".join(["word"] * (MAX_SENTENCE_CHARS // 5)),
    ]
    seen = trainer_input(monkeypatch, "bpe", normal)
    assert seen == normal and all(a is b for a, b in zip(seen, normal))


def test_normal_text_gives_the_same_vocabulary_as_before():
    from tokenizers import Tokenizer, decoders, models, trainers

    reference = Tokenizer(models.BPE(unk_token=text.UNK))
    text._configure(reference)
    reference.decoder = decoders.BPEDecoder()
    reference.train_from_iterator(
        NORMAL,
        trainer=trainers.BpeTrainer(
            vocab_size=300, min_frequency=2, special_tokens=text.SPECIAL_TOKENS, show_progress=False
        ),
    )
    assert train_tokenizer(NORMAL, 300).to_str() == reference.to_str()


def test_cutting_is_deterministic():
    texts = NORMAL + ["ab" * 5_000, "\u337f" * 300 + " end"]
    first = train_tokenizer(texts, 300)
    assert train_tokenizer(list(texts), 300).to_str() == first.to_str()


# ---- 2. the log says what was cut --------------------------------------------------------------
def test_the_log_says_what_was_cut():
    messages: list[str] = []
    train_tokenizer(
        NORMAL
        + [
            "q" * 2_000,
            "a " + "b" * 1_001 + " " + "c" * 3_000,
            "d " * (MAX_SENTENCE_CHARS // 2 + 10),
        ],
        300,
        log=messages.append,
    )
    assert messages == [
        (
            f"1 sentence longer than {MAX_SENTENCE_CHARS:,} characters was cut to "
            f"{MAX_SENTENCE_CHARS:,} and 3 words longer than {MAX_WORD_CHARS:,} "
            f"characters were cut to {MAX_WORD_CHARS:,} for the tokenizer"
        )
    ]
    messages.clear()
    train_word_tokenizer(NORMAL, log=messages.append)
    assert messages == []  # nothing cut, nothing said


def test_without_a_log_the_note_goes_to_the_threads_reporter():
    from transfer_explorer.engine.control import reporting

    messages: list[str] = []
    with reporting(messages.append):
        train_word_tokenizer(NORMAL + ["q" * 2_000])
        encode(train_tokenizer(NORMAL, 300), ["z" * 1_500], 8)
    cut = f"1 word longer than {MAX_WORD_CHARS:,} characters was cut to {MAX_WORD_CHARS:,}"
    assert messages == [f"{cut} for the tokenizer", f"{cut} before encoding"]


def test_a_tokenizer_trained_on_cut_text_is_cached_under_a_key_of_its_own(tmp_path):
    """A tokenizer cached before the limits existed, trained on the uncut text, is never
    taken for one trained on the cut text; text within the limits keeps its key."""
    from transfer_explorer.engine.text import load_or_train_tokenizer

    _, cached = load_or_train_tokenizer(tmp_path, "k" * 16, NORMAL, 300)
    assert not cached and (tmp_path / "tokenizers" / ("k" * 16 + ".json")).is_file()
    huge = NORMAL + ["ab" * 1_000]
    _, cached = load_or_train_tokenizer(tmp_path, "c" * 16, huge, 300)
    assert not cached and not (tmp_path / "tokenizers" / ("c" * 16 + ".json")).exists()
    assert len(list((tmp_path / "tokenizers").glob("*.json"))) == 2
    _, cached = load_or_train_tokenizer(tmp_path, "c" * 16, huge, 300)
    assert cached


# ---- 3. encoding is bounded too ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["bpe", "word"])
def test_encoding_cuts_a_huge_word_and_a_huge_sentence(kind):
    tokenizer = train(kind, NORMAL)
    huge_word, huge_sentence = "q" * 1_000_000 + " cat", " ".join(["ab", "cd"] * 400_000)
    ids = encode(tokenizer, [huge_word, huge_sentence, "the cat"], 10**7)
    assert len(ids[0]) <= MAX_WORD_CHARS + 1  # the word's pieces, then "cat"
    assert len(ids[1]) <= MAX_SENTENCE_CHARS
    assert ids[2].tolist() == tokenizer.encode("the cat", add_special_tokens=False).ids
    tokens = text.encode_tokens(tokenizer, [huge_word])  # what word2vec trains on
    assert len(tokens[0]) <= MAX_WORD_CHARS + 1


# ---- 4. Stop and SIGTERM while the Rust trainer runs ------------------------------------------
def busy_trainer(monkeypatch, control=None):
    """Make tokenizer training busy for a long while *after* the trainer has read its text
    (inside the Rust call, which has no stop points), asking ``control`` to stop right
    then. Returns (release, timed_out): set ``release`` to let the trainer finish;
    ``timed_out`` is set when it was never released (the caller waited for it)."""
    release, timed_out = threading.Event(), threading.Event()

    def stop_then_busy(items, every=1000):
        def read():
            yield from items
            if control is not None:
                control.stop()
            if not release.wait(20):
                timed_out.set()

        return read()

    monkeypatch.setattr(text, "stoppable", stop_then_busy)
    return release, timed_out


@pytest.mark.parametrize("kind", ["bpe", "word"])
def test_stop_ends_tokenizer_training_while_the_trainer_is_busy(monkeypatch, kind):
    control = RunControl()
    release, timed_out = busy_trainer(monkeypatch, control)
    try:
        with active(control), pytest.raises(RunCancelled):
            train(kind, NORMAL)
        assert not timed_out.is_set()  # it ended while the trainer was still busy
    finally:
        release.set()


def test_a_stopped_run_ends_while_its_tokenizer_trains(monkeypatch, db, tmp_path):
    from tests.conftest import tiny_config
    from transfer_explorer.engine.experiment.runner import run_experiment

    control = RunControl()
    release, timed_out = busy_trainer(monkeypatch, control)
    try:
        result = run_experiment(tiny_config(), control=control, db=db, cache=tmp_path / "c")
        assert result.status == "stopped"
        assert not timed_out.is_set()
    finally:
        release.set()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("stopped",)]


# ---- 5. the real command line: pathological files end in seconds, SIGTERM obeyed -------------
def cli_process(args, db, driver: str = "", **kwargs) -> subprocess.Popen:
    """``python -m transfer_explorer.cli ARGS`` (or ``driver`` code that runs it)."""
    command = (
        [sys.executable, "-c", driver, *args]
        if driver
        else [sys.executable, "-m", "transfer_explorer.cli", *args]
    )
    return subprocess.Popen(
        [*command, "--db", str(db), "--quiet", "--threads", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        **kwargs,
    )


def finish(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"no answer within {timeout} s")


def pairs(n: int = 40) -> list[dict]:
    return [
        {
            "sentence1": NORMAL[i % len(NORMAL)],
            "sentence2": NORMAL[(i + 1) % len(NORMAL)],
            "score": i % 5,
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def huge_pairs_jsonl(tmp_path: Path, size: int) -> Path:
    records = pairs()
    records[1]["sentence1"] = "ab" * (size // 2)  # no space: one word (the pair trains)
    return write_jsonl(tmp_path / "pairs.jsonl", records)


def long_words_tsv(tmp_path: Path) -> Path:
    """A TSV may hold cells up to 131,072 characters: 60 words of 130,000 random letters
    (uncut, the BPE trainer takes about 3 s for each)."""
    letters = bytes(ord("a") + b % 26 for b in range(256))
    rows = [f"{r['sentence1']}\t{r['sentence2']}\t{r['score']}" for r in pairs()]
    rows += [
        f"{random.Random(i).randbytes(130_000).translate(letters).decode()}\ta cat\t{i % 5}"
        for i in range(60)
    ]
    path = tmp_path / "pairs.tsv"
    path.write_text("sentence1\tsentence2\tscore\n" + "\n".join(rows) + "\n")
    return path


def word2vec_corpus(tmp_path: Path) -> list[str]:
    corpus = [{"sentence": s} for s in NORMAL * 4] + [{"sentence": "ab" * 500_000}]
    path = write_jsonl(tmp_path / "corpus.jsonl", corpus)
    return [
        "--upstream",
        "word2vec",
        "--upstream-data",
        str(path),
        "--upstream-epochs",
        "1",
        "--downstream",
        str(write_jsonl(tmp_path / "small.jsonl", pairs())),
    ]


CASES = {
    "a 1 MB word in JSON-lines pairs": lambda p: [
        "--downstream",
        str(huge_pairs_jsonl(p, 1_000_000)),
    ],
    "a 20 MB word in JSON-lines pairs": lambda p: [
        "--downstream",
        str(huge_pairs_jsonl(p, 20_000_000)),
    ],
    "60 words of 130,000 characters in a TSV": lambda p: ["--downstream", str(long_words_tsv(p))],
    "a 1 MB word in a word2vec corpus": word2vec_corpus,
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_with_huge_words_trains_in_seconds(case, tmp_path, db):
    proc = cli_process(["run", *CASES[case](tmp_path), "--epochs", "1", "--json"], db)
    out, err = finish(proc, timeout=90)  # about 5 s with the bound; many minutes without
    assert proc.returncode == 0, err
    assert json.loads(out)["status"] == "finished"


def test_the_runs_log_says_what_was_cut(tmp_path, db):
    proc = cli_process(
        ["run", "--downstream", str(huge_pairs_jsonl(tmp_path, 1_000_000)), "--epochs", "1"], db
    )
    finish(proc, timeout=90)
    with sqlite3.connect(db) as conn:
        logged = [m for (m,) in conn.execute("SELECT message FROM logs")]
    cut = f"1 word longer than {MAX_WORD_CHARS:,} characters was cut to {MAX_WORD_CHARS:,}"
    assert any(cut in m and m.endswith("for the tokenizer") for m in logged), logged
    assert any(cut in m and m.endswith("before encoding") for m in logged), logged


BUSY_DRIVER = """
import sys, time
from transfer_explorer.engine import text
from transfer_explorer.cli import commands as cli
def busy(items, every=1000):
    def read():
        yield from items
        print("tokenizer busy", file=sys.stderr, flush=True)
        time.sleep(120)  # the Rust call goes on, with no stop point, for two minutes
    return read()
text.stoppable = busy
sys.exit((getattr(cli, "script", None) or cli.main)(sys.argv[1:]))
"""


def test_sigterm_stops_a_run_while_its_tokenizer_trains(tmp_path, db):
    proc = cli_process(
        ["run", "--downstream", str(write_jsonl(tmp_path / "p.jsonl", pairs())), "--epochs", "1"],
        db,
        driver=BUSY_DRIVER,
    )
    try:
        line = proc.stderr.readline()
        while line and "tokenizer busy" not in line:
            line = proc.stderr.readline()
        assert line, proc.communicate()
        proc.send_signal(signal.SIGTERM)
    except BaseException:
        proc.kill()
        raise
    out, err = finish(proc, timeout=30)  # at once with the fix; after two minutes without
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out.startswith("run 1 stopped")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("stopped",)]
