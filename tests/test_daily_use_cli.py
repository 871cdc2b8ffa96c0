"""Issue 18 from the command line: what a new user met in daily use.

Each test here failed on the code before the fix: Markdown saved as .txt, rewording without
`id:`, `--dry-run`, "(1 cards)", `--deck` by name or prefix, Anki text notes already in
another deck, and `drill show`.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.core.format import moment
from tests.helpers import NOW, SAMPLE_DECK

NOW_ENV = "2026-01-05T10:00:00+00:00"


@pytest.fixture
def env(tmp_path):
    return {"DRILL_DB": str(tmp_path / "drill.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": "1"}


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], env=env, input=input)

    return invoke


# -- bug 5: a Markdown deck saved as .txt -------------------------------------------------------


def test_markdown_saved_as_txt_is_read_as_markdown(run, tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    checked = run("check", path)
    assert checked.exit_code == 0, checked.output
    assert checked.output == f"ok: {path}: 3 questions\n"
    imported = run("import", path)
    assert imported.exit_code == 0, imported.output
    assert imported.output.startswith("Sample deck: 3 added")


def test_headings_in_a_plain_list_are_refused_with_a_hint(run, tmp_path):
    # Markdown the deck parser cannot read as a deck is never read as a list of questions.
    path = tmp_path / "notes.txt"
    path.write_text("# My notes\n\nWhy this company?\nWhat is your weakness?\n", encoding="utf-8")
    result = run("import", path, "--format", "list")
    assert result.exit_code == 1
    assert f"{path}:1: a Markdown heading, not a question" in result.output
    assert "--format md" in result.output


# -- bug 6: rewording a question that has no `id:` ----------------------------------------------

ONE = """# Goals deck

## What goals do you have in your career?

### Approach
Talk about the next two years.

## Tell me about yourself.
id: about-you

### Approach
Present, past, future.
"""

REWORDED = ONE.replace(
    "What goals do you have in your career?", "What goals do you have for your career?"
).replace("Present, past, future.", "Present, past, then future.")


def test_rewording_without_an_id_says_what_it_looks_like(run, tmp_path):
    path = tmp_path / "goals.md"
    path.write_text(ONE, encoding="utf-8")
    assert run("import", path).exit_code == 0
    path.write_text(REWORDED, encoding="utf-8")
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {path}:3: 'What goals do you have in your career?' is no longer in the "
        "file; 'What goals do you have for your career?' looks like it (94% similar) (add "
        "`id: what-goals-do-you-have-in-your-career` under it to keep its progress)"
    ) in result.stderr
    assert result.stdout.startswith(
        "Goals deck: 1 added, 1 updated, 0 unchanged, 1 no longer in the file (kept; "
        "--prune removes it) ("
    )


def test_dry_run_lists_what_would_be_added_updated_and_left_out(run, tmp_path):
    path = tmp_path / "goals.md"
    path.write_text(ONE, encoding="utf-8")
    assert run("import", path).exit_code == 0
    path.write_text(REWORDED, encoding="utf-8")
    result = run("import", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  added:   What goals do you have for your career?",
        "  updated: Tell me about yourself.",
        "  no longer in the file: What goals do you have in your career?",
        "(dry run: nothing was written)",
    ]
    as_json = json.loads(run("import", path, "--dry-run", "--json").stdout)["result"][0]
    assert as_json["added_questions"] == ["what-goals-do-you-have-for-your-career"]
    assert as_json["updated_questions"] == ["about-you"]
    assert as_json["missing_questions"] == ["what-goals-do-you-have-in-your-career"]
    assert as_json["reworded"] == [
        {
            "old_id": "what-goals-do-you-have-in-your-career",
            "old": "What goals do you have in your career?",
            "new_id": "what-goals-do-you-have-for-your-career",
            "new": "What goals do you have for your career?",
            "similarity": 0.94,
        }
    ]


def test_one_card_is_one_card(run, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Why this company?\n", encoding="utf-8")
    result = run("import", path)
    assert result.output == "one: 1 added, 0 updated, 0 unchanged (1 card)\n"


# -- bug 8: Anki text notes already in another deck --------------------------------------------

ANKI_TEXT = "#separator:tab\n#html:false\n#guid column:1\n" + "".join(
    f"G{i}\tQuestion number {i}?\tAnswer {i}.\n" for i in range(30)
)


def deck_ids(run) -> list[str]:
    return [d["id"] for d in json.loads(run("decks", "--json").stdout)]


def test_anki_notes_already_in_another_deck_make_no_empty_deck(run, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(ANKI_TEXT, encoding="utf-8")
    assert run("import", path, "--deck", "Interview notes").exit_code == 0
    result = run("import", path, "--deck", "From Text")
    assert result.exit_code == 0, result.output
    assert deck_ids(run) == ["interview-notes"]
    assert result.stdout == (
        "From Text: not created: all 30 notes are already in Interview notes (matched by their "
        "Anki GUID), and stay there\n"
        "Interview notes: 0 added, 0 updated, 30 unchanged (30 cards)\n"
    )


def test_anki_notes_split_between_a_new_deck_and_another(run, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(ANKI_TEXT, encoding="utf-8")
    assert run("import", path, "--deck", "Interview notes").exit_code == 0
    more = tmp_path / "more.txt"
    more.write_text(ANKI_TEXT + "G99\tA brand new one?\tYes.\n", encoding="utf-8")
    result = run("import", more, "--deck", "From Text")
    assert result.exit_code == 0, result.output
    assert deck_ids(run) == ["interview-notes", "from-text"]
    assert result.stdout == (
        "From Text: 1 added, 0 updated, 0 unchanged (1 card); 30 notes are already in "
        "Interview notes (matched by their Anki GUID), and stay there\n"
        "Interview notes: 0 added, 0 updated, 30 unchanged (30 cards)\n"
    )


# -- bug 9: wording that didn't match behaviour -------------------------------------------------


def test_readme_says_what_ctrl_p_does():
    from pathlib import Path

    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text("utf-8").split())
    assert "`ctrl+p` opens the command palette" in readme
    assert "`ctrl+p` switches" not in readme


def test_one_day_is_one_day_in_every_report(run, tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", path).exit_code == 0
    card = json.loads(run("next", "--json").stdout)
    assert run("rate", card["card_id"], "good").exit_code == 0
    assert "Streak     1 day\n" in run("stats").stdout
    assert "| Streak | 1 day |" in run("export", "stats", "--format", "md").stdout
    html = run("export", "stats").stdout
    assert not re.search(r"\b1 days\b", html)


# -- drill show: the back of a card from the command line ---------------------------------------


def test_show_prints_front_back_and_latest_answer(run, tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", path).exit_code == 0
    card = json.loads(run("next", "--json").stdout)
    assert (
        run("answer", "sample-deck/career-goals", "--text", "Lead the audit team.").exit_code == 0
    )
    result = run("show", card["card_id"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "Card 1 · sample-deck/career-goals · Rehearse: answer out loud (new)\n\n"
        "  What goals do you have in your career?\n"
    )
    for part in (
        "Approach\n  Talk about the next two years.\n",
        "Do\n  - Focus on the near term.\n",
        "Don't\n  - Aim for the president's chair.\n",
        "Example: experienced\n  I am finishing a certification.\n",
        "Tips\n  - Use STAR.\n",
        f"Your latest answer ({moment(NOW)} · cli)\n  Lead the audit team.\n",
    ):
        assert part in out
    # Your answer comes before the notes: it is what you compare first.
    assert out.index("Your latest answer") < out.index("Approach")

    data = json.loads(run("show", card["card_id"], "--json").stdout)
    assert data["card_id"] == 1 and data["kind"] == "rehearse"
    assert data["prompt"] == "What goals do you have in your career?"
    assert [s["title"] for s in data["back"]][:3] == ["Approach", "Do", "Don't"]
    assert data["back"][1]["items"] == ["Focus on the near term."]
    assert data["latest_answer"]["text"] == "Lead the audit team."
    assert data["latest_note"] is None


def test_show_a_why_card_and_an_unknown_card(run, tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", path).exit_code == 0
    out = run("show", 2).stdout
    assert "Why they ask\n  They want to know whether you plan ahead.\n" in out
    assert "Approach" not in out
    missing = run("show", 999)
    assert missing.exit_code == 1
    assert "no card 999" in missing.stderr


LONG = """# Long deck

## Tell me about a time you led a project from start to finish.
id: led-a-project

### Approach
Pick one project you owned end to end. Say what it was for, who was on it, how you planned it, what went wrong on the way and what you changed, and close on the result with a number and what you would do again.

### Do
- Name the stakes in the first sentence so the listener knows why the project mattered to the business and to you.
"""


def test_show_wraps_long_sections_with_their_indent(run, tmp_path):
    # A paragraph printed as one 250-character line lost its indent where the terminal
    # wrapped it; into a file or pipe `drill show` wraps at 80 columns.
    path = tmp_path / "long.md"
    path.write_text(LONG, encoding="utf-8")
    assert run("import", path).exit_code == 0
    out = run("show", 1).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    approach = lines[lines.index("Approach") + 1 : lines.index("Do") - 1]
    assert len(approach) > 2 and all(line.startswith("  ") for line in approach)
    assert " ".join(line.strip() for line in approach).startswith("Pick one project you owned")
    do = lines[lines.index("Do") + 1 :]
    assert do[0].startswith("  - Name the stakes") and do[1].startswith("    ")


# -- bug 4: --deck by id, by name in any case, or by a unique prefix -----------------------------


def test_the_readmes_deck_salary_examples_work(tmp_path):
    # With the bundled decks, as a new user has them.
    env = {"DRILL_DB": str(tmp_path / "b.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": ""}
    runner = CliRunner()

    def drill(*args: str) -> str:
        result = runner.invoke(cli, list(args), env=env)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    drill("config", "--deck", "salary", "desired_retention", "0.95")
    assert drill("config", "--deck", "salary-and-logistics", "desired_retention") == (
        "desired_retention = 0.95\n"
    )
    drill("config", "--deck", "salary", "desired_retention", "--unset")
    assert drill("config", "--deck", "Salary and logistics", "desired_retention") == (
        "desired_retention = 0.9\n"
    )
    drill("stats", "--deck", "salary", "--days", "180")


@pytest.fixture
def two_decks(run, tmp_path):
    for name in ("Sample deck", "Sample two"):
        path = tmp_path / f"{name}.md"
        path.write_text(SAMPLE_DECK.replace("# Sample deck", f"# {name}"), encoding="utf-8")
        assert run("import", path).exit_code == 0
    return run


@pytest.mark.parametrize(
    "given", ["sample-deck", "Sample deck", "SAMPLE DECK", "sample-d", "sample d"]
)
def test_deck_by_id_name_in_any_case_or_unique_prefix(two_decks, given):
    card = json.loads(two_decks("next", "--deck", given, "--json").stdout)
    assert card["deck"] == "sample-deck"


def test_an_ambiguous_prefix_names_the_candidates(two_decks):
    result = two_decks("next", "--deck", "sample")
    assert result.exit_code == 1
    assert "'sample' could be sample-deck or sample-two" in result.stderr


def test_an_unknown_deck_suggests_the_nearest(two_decks):
    result = two_decks("stats", "--deck", "sampel-deck")
    assert result.exit_code == 1
    assert "no deck 'sampel-deck' (did you mean sample-deck?)" in result.stderr


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("salry", "salary-and-logistics"),
        ("Salray", "salary-and-logistics"),
        ("stregths", "strengths-and-weaknesses"),
        ("behavoral", "behavioral-challenges or behavioral-teamwork-and-leadership"),
    ],
)
def test_a_typo_of_the_start_of_a_deck_name_gets_a_suggestion(tmp_path, typed, meant):
    # `salry` is far from all of "salary-and-logistics" but close to its start, which is what
    # a user typing --deck salary meant.
    env = {"DRILL_DB": str(tmp_path / "b.db"), "DRILL_NOW": NOW_ENV, "DRILL_NO_BUNDLED": ""}
    result = CliRunner().invoke(cli, ["next", "--deck", typed], env=env)
    assert result.exit_code == 1
    assert result.stderr == f"error: no deck '{typed}' (did you mean {meant}?)\n"


def test_nothing_close_lists_the_decks(two_decks):
    result = two_decks("stats", "--deck", "xyz")
    assert result.exit_code == 1
    assert "no deck 'xyz' (decks: sample-deck, sample-two)" in result.stderr


# -- noticed on the way: -o to a device or a pipe must not replace it with a file -------------


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(run, tmp_path):
    # `drill export ... -o /dev/null` once replaced /dev/null with a regular file (the atomic
    # write renames a temporary file over the target). A FIFO stands in for the device here.
    import os
    import stat
    import threading

    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", path).exit_code == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "progress", "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"deck,question_id,kind")
    assert not (tmp_path / "pipe.partial").exists()


@pytest.mark.parametrize(
    ("args", "magic"),
    [
        (["backup", "-o"], b"SQLite format 3\0"),
        (["export", "deck", "sample-deck", "--format", "apkg", "-o"], b"PK"),
    ],
    ids=["backup", "apkg"],
)
def test_a_backup_or_package_streams_into_a_pipe_and_leaves_it_a_pipe(run, tmp_path, args, magic):
    # Never renamed over a device (that replaced /dev/null with a file once): a pipe is
    # written directly (docs/limits.md), so `drill backup -o /dev/stdout | gzip` works.
    import os
    import stat
    import threading

    path = tmp_path / "sample.md"
    path.write_text(SAMPLE_DECK, encoding="utf-8")
    assert run("import", path).exit_code == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(*args, fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(magic)
