from tests.conftest import tiny_config
from transfer_explorer.engine import run
from transfer_explorer.engine.disk.paths import runs_dir


def test_two_databases_in_one_folder_keep_their_models_apart(tmp_path):
    first = run(tiny_config(training__epochs=1), db=tmp_path / "a.sqlite")
    second = run(tiny_config(training__epochs=1, seed=1), db=tmp_path / "b.sqlite")
    assert first.run_id == second.run_id == 1
    assert first.artifacts != second.artifacts
    assert first.artifacts == str(runs_dir(tmp_path / "a.sqlite") / "1")
    assert (runs_dir(tmp_path / "a.sqlite") / "1" / "model.safetensors").is_file()
    assert (runs_dir(tmp_path / "b.sqlite") / "1" / "model.safetensors").is_file()
