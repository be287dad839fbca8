"""The command line in Korean: `--lang ko`, or LANG=ko_KR.UTF-8 with no `--lang`; English
stays as it was whenever English is asked for (`--lang en`, LANG=C)."""

import os
import re
import subprocess
import sys

HANGUL = re.compile("[\uac00-\ud7a3]")


def cli(*args, lang: str, tmp_path):
    env = {
        **os.environ,
        "LANG": lang,
        "TRANSFER_EXPLORER_HOME": str(tmp_path / "home"),
        "TRANSFER_EXPLORER_SETTINGS": str(tmp_path / "settings.ini"),
    }
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return subprocess.run(
        [sys.executable, "-m", "transfer_explorer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_bad_run_id_is_refused_in_korean_under_a_korean_locale(tmp_path):
    done = cli(
        "show", "abc", "--db", str(tmp_path / "runs.sqlite"), lang="ko_KR.UTF-8", tmp_path=tmp_path
    )
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    # the CLI's own words: its "error:" prefix and the run id type's message
    assert line.startswith("오류: ") and "실행 id는 1부터 2**63 - 1까지의 정수여야 합니다" in line
    assert "'abc'" in line and "Traceback" not in done.stderr


def test_a_missing_tsv_file_and_an_empty_store_read_in_korean(tmp_path):
    db = str(tmp_path / "runs.sqlite")
    done = cli("runs", "--db", db, lang="ko_KR.UTF-8", tmp_path=tmp_path)
    assert done.returncode == 0 and done.stdout == "아직 실행이 없습니다\n"
    missing = tmp_path / "pairs.tsv"
    done = cli(
        "score", "1", "--tsv", str(missing), "--db", db, lang="ko_KR.UTF-8", tmp_path=tmp_path
    )
    assert done.returncode == 2
    assert done.stderr == f"오류: --tsv {missing}: 그런 파일이 없습니다\n"


def test_lang_en_wins_over_a_korean_locale(tmp_path):
    db = str(tmp_path / "runs.sqlite")
    done = cli("--lang", "en", "runs", "--db", db, lang="ko_KR.UTF-8", tmp_path=tmp_path)
    assert done.returncode == 0 and done.stdout == "no runs yet\n"
    done = cli("show", "0", "--lang", "en", "--db", db, lang="ko_KR.UTF-8", tmp_path=tmp_path)
    assert done.returncode == 2 and not HANGUL.search(done.stderr)
    assert done.stderr.startswith("error: argument RUN: a run id is a whole number from 1 to")


def test_lang_ko_wins_over_an_english_locale(tmp_path):
    data = tmp_path / "no-such-folder"
    done = cli(
        "run",
        "--lang",
        "ko",
        "--data-root",
        str(data),
        "--db",
        str(tmp_path / "r.sqlite"),
        lang="C",
        tmp_path=tmp_path,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"오류: --data-root {data}: 그런 폴더가 없습니다\n"
    assert not (tmp_path / "r.sqlite").exists()  # refused before anything was recorded
    # and under LANG=C alone the same refusal is the English one, byte for byte
    done = cli("run", "--data-root", str(data), lang="C", tmp_path=tmp_path)
    assert done.stderr == f"error: --data-root {data}: no such folder\n"


def test_a_tiny_run_summarises_itself_in_korean(tmp_path):
    db = tmp_path / "runs.sqlite"
    args = ("run", "--epochs", "1", "--threads", "1", "--quiet", "--db", str(db))
    done = cli(*args, "--lang", "ko", lang="C", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    (summary,) = done.stdout.splitlines()
    assert summary.startswith("실행 1: 완료, ")  # the status in Korean too (stored in English)
    assert re.search(r", \d+\.\d s", summary)
    # the run is listed, and `show` speaks Korean too
    done = cli("show", "1", "--db", str(db), lang="ko_KR.UTF-8", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("실행 1: ") and lines[0].endswith("[완료]")
    assert lines[1].startswith("  생성 ") and "  설정:" in lines
    # the same command in English is unchanged
    done = cli("show", "1", "--db", str(db), lang="C", tmp_path=tmp_path)
    assert done.stdout.startswith("run 1: ") and "  settings:" in done.stdout.splitlines()
    assert not HANGUL.search(done.stdout.split("  settings:")[0])
    # `runs` in Korean: headers and status translated, and the columns still line up on a
    # terminal, where each Hangul syllable takes two columns
    done = cli("runs", "--db", str(db), lang="ko_KR.UTF-8", tmp_path=tmp_path)
    header, row = done.stdout.splitlines()
    assert header.split()[:3] == ["ID", "상태", "실험"] and " 완료 " in row
    from transfer_explorer.engine.labels import display_width as columns

    dev_end = columns(header[: header.index("검증") + len("검증")])
    score = re.findall(r"\d+\.\d", row)[0]  # the dev score, right-aligned under its header
    assert columns(row[: row.index(score) + len(score)]) == dev_end


def test_padding_counts_wide_characters_twice():
    from transfer_explorer.engine.labels import display_width, padded

    assert display_width("검증 dev") == 8
    assert padded("dev", 6, ">") == "   dev"
    assert padded("검증", 6, ">") == "  검증"  # 4 columns of text, 2 of space
    assert padded("상태", 11) == "상태" + " " * 7
