"""Issue 26, class 9: the Python API checks its arguments as the CLI does (the same checks)
and raises the app's own errors with one clear sentence — never a TypeError from NumPy, a
FileExistsError, or an empty sweep called 'finished'."""

import pytest

import transfer_explorer as api
from transfer_explorer.engine import ConfigError, UserError
from transfer_explorer.engine.errors import ArgumentError
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.grid import Sweep


def one_sentence(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and 10 < len(text) < 300, text
    return text


def tiny_sweep(**changes) -> Sweep:
    values = dict(
        name="api",
        arms=["none/scratch"],
        encoders=["transformer"],
        downstreams=["demo"],
        fractions=[1.0],
        seeds=[0],
        base={"threads": 1, "training": {"epochs": 1}},
    )
    values.update(changes)
    return Sweep(**values)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"seeds": []}, "seeds is empty"),
        ({"seeds": [0, 0]}, "seeds repeats 0; give each value once"),
        ({"seeds": [1, 2, 1]}, "seeds repeats 1"),
        ({"fractions": [0.5, 0.5]}, "fractions repeats 0.5"),
        ({"seeds": "01"}, "seeds must be a list"),
        ({"seeds": [0.5]}, "seeds holds 0.5, not a whole number"),
        ({"arms": ["none/scratch", 3]}, "arms holds 3, not text"),
        ({"fractions": [2.0]}, "train fraction must be in \\(0, 1\\]"),
    ],
)
def test_a_sweep_built_in_python_is_checked_like_a_file(db, changes, message):
    with pytest.raises(ConfigError, match=message) as caught:
        api.sweep(tiny_sweep(**changes), db=db, progress=False)
    one_sentence(caught.value)
    assert not db.exists() or Store(db).list_sweeps() == []  # nothing recorded


def test_the_same_holds_for_a_sweep_file(db, tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text('arms = ["none/scratch"]\nseeds = [0, 0]\n')
    with pytest.raises(ConfigError, match="seeds repeats 0"):
        api.sweep(path, db=db, progress=False)
    with pytest.raises(ArgumentError, match="takes a preset name"):
        api.sweep(42, db=db, progress=False)
    for workers in (0, "2", 2.5, True):
        with pytest.raises(ConfigError, match="workers must be a whole number from 1 to 256"):
            api.sweep(tiny_sweep(), workers=workers, db=db, progress=False)
    with pytest.raises(ArgumentError, match="on_event must be a function"):
        api.sweep(tiny_sweep(), on_event="print", db=db, progress=False)


def test_run_under_a_regular_file_and_an_empty_db(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="is a file, not a folder") as caught:
        api.run(api.Experiment(epochs=1), db=tmp_path / "notes.txt" / "runs.sqlite", progress=False)
    one_sentence(caught.value)
    with pytest.raises(UserError, match="give a path"):
        api.run(api.Experiment(epochs=1), db="", progress=False)
    with pytest.raises(ArgumentError, match="db must be a path"):
        api.run(api.Experiment(epochs=1), db=3, progress=False)
    with pytest.raises(ArgumentError, match="takes an Experiment or an ExperimentConfig"):
        api.run({"epochs": 1}, progress=False)
    with pytest.raises(ArgumentError):
        api.iter_run("demo")
    with pytest.raises(ConfigError, match="epochs"):
        api.run(api.Experiment(epochs=0), db=tmp_path / "r.sqlite", progress=False)
    with pytest.raises(UserError, match="give a path"):
        api.open_store("")


def test_a_model_scores_only_sentences(db):
    result = api.run(api.Experiment(epochs=1, threads=1), db=db, progress=False)
    model = result.model
    assert isinstance(model.score("a man plays", "a person plays"), float)
    for args in ((1, "b"), (["a"], ["b"]), ("a", None)):
        with pytest.raises(ArgumentError, match="score\\(\\) takes two sentences as text") as e:
            model.score(*args)
        assert isinstance(e.value, TypeError)  # (a TypeError too, as Python's own are)
        one_sentence(e.value)
    for pairs in ("ab", [("a",)], [("a", 2)], [["a", "b", "c"]], 5):
        with pytest.raises(ArgumentError, match="score_pairs"):
            model.score_pairs(pairs)
    assert len(model.score_pairs([("a", "b"), ["c", "d"]])) == 2
    with pytest.raises(ArgumentError, match="encode\\(\\) takes a list of sentences"):
        model.encode("one sentence")
    with pytest.raises(ArgumentError, match="takes a model folder or a run id"):
        api.load_model(3.5)
