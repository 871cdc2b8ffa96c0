"""The answer bank: versions, sources, the editor round trip, and the cheat sheet."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import pytest
from click.testing import CliRunner

from drill.cli.main import cli
from drill.study import answers
from tests.helpers import NOW, SAMPLE_DECK

REF = "sample-deck/career-goals"


def test_versions_are_kept_newest_first_and_duplicates_skipped(sample_db):
    assert answers.save_answer(sample_db, "sample-deck", "career-goals", "First.", "cli", NOW)
    assert not answers.save_answer(sample_db, "sample-deck", "career-goals", " First. ", "cli", NOW)
    later = NOW + timedelta(minutes=5)
    assert answers.save_answer(
        sample_db, "sample-deck", "career-goals", "Second.", "review", later, 9000
    )
    versions = answers.history(sample_db, "sample-deck", "career-goals")
    assert [(v.text, v.source) for v in versions] == [("Second.", "review"), ("First.", "cli")]
    assert versions[0].duration_ms == 9000
    assert versions[0].to_json() == {
        "text": "Second.",
        "created_at": "2026-01-05T10:05:00Z",
        "source": "review",
    }


def test_unknown_question_and_source(sample_db):
    from drill.errors import DrillError

    with pytest.raises(DrillError):
        answers.save_answer(sample_db, "sample-deck", "nope", "x", "cli", NOW)
    with pytest.raises(ValueError):
        answers.save_answer(sample_db, "sample-deck", "career-goals", "x", "carrier-pigeon", NOW)


@pytest.fixture
def run(tmp_path):
    env = {
        "DRILL_DB": str(tmp_path / "d.db"),
        "DRILL_NOW": NOW.isoformat(),
        "DRILL_NO_BUNDLED": "1",
    }
    deck = tmp_path / "sample.md"
    deck.write_text(SAMPLE_DECK, encoding="utf-8")
    runner = CliRunner()

    def invoke(*args, extra_env=None):
        return runner.invoke(cli, list(args), env={**env, **(extra_env or {})})

    assert invoke("import", str(deck)).exit_code == 0
    return invoke


def fake_editor(tmp_path, new_text: str | None) -> str:
    """An $EDITOR that records what it was shown and writes `new_text` (or leaves the file)."""
    script = tmp_path / "editor.py"
    seen = tmp_path / "seen.txt"
    body = f"import sys, pathlib\np = pathlib.Path(sys.argv[-1])\npathlib.Path({str(seen)!r}).write_text(p.read_text())\n"
    if new_text is not None:
        body += f"p.write_text({new_text!r})\n"
    script.write_text(body)
    return f"{sys.executable} {script}"


def test_cli_text_and_history_json(run):
    assert run("answer", REF, "--text", "My answer.").output == "Saved a new version.\n"
    assert run("answer", REF, "--text", "My answer.").output.startswith("Unchanged")
    history = json.loads(run("answer", REF, "--history", "--json").output)
    # Each version carries the coach's summary of it (issue 15); the rest is unchanged.
    insights = history[0].pop("insights")
    assert history == [
        {"text": "My answer.", "created_at": "2026-01-05T10:00:00Z", "source": "cli"}
    ]
    assert insights["words"] == 2 and insights["length"] == "short"


def test_editor_starts_from_star_template_then_latest(run, tmp_path):
    editor = fake_editor(tmp_path, "# heading ignored\nSituation: I led a migration.\n")
    result = run("answer", REF, "--edit", extra_env={"EDITOR": editor, "VISUAL": ""})
    assert result.exit_code == 0, result.output
    assert "Situation:" in (tmp_path / "seen.txt").read_text()
    assert "Saved a new version." in result.output
    history = json.loads(run("answer", REF, "--history", "--json").output)
    assert history[0].pop("insights")["words"] == 5
    assert history[0] == {
        "text": "Situation: I led a migration.",
        "created_at": "2026-01-05T10:00:00Z",
        "source": "editor",
    }
    # Opening it again shows the latest version; closing without a change saves nothing.
    unchanged = run(
        "answer", REF, "--edit", extra_env={"EDITOR": fake_editor(tmp_path, None), "VISUAL": ""}
    )
    assert "I led a migration" in (tmp_path / "seen.txt").read_text()
    assert "Unchanged" in unchanged.output
    assert len(json.loads(run("answer", REF, "--history", "--json").output)) == 1


def test_bad_references(run):
    assert run("answer", "no-slash", "--text", "x").exit_code == 2
    missing = run("answer", "sample-deck/nope", "--text", "x")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        "error: no question 'nope' in deck 'sample-deck'",
    )
    assert run("answer", REF).exit_code == 2


def test_export_answers_md_and_json(run):
    run("answer", REF, "--text", "In two years I will lead the team.")
    sheet = run("export", "answers").output
    assert "### What goals do you have in your career?" in sheet
    assert "*Also asked as:* What direction are you seeking to take with your career?" in sheet
    assert "In two years I will lead the team." in sheet
    # Dos and don'ts are lists, not items run together with "; " (issue 18).
    assert "**Do:**\n\n- Focus on the near term.\n" in sheet
    assert "**Don't:**\n\n- Aim for the president's chair.\n" in sheet
    assert "Tell me about yourself" not in sheet  # unanswered questions are left out
    data = json.loads(run("export", "answers", "--format", "json").output)
    assert data == [
        {
            "deck": "sample-deck",
            "question_id": "career-goals",
            "question": "What goals do you have in your career?",
            "text": "In two years I will lead the team.",
            "created_at": "2026-01-05T10:00:00Z",
        }
    ]


# -- $EDITOR never loses what was typed ----------------------------------------------------------


def saving_editor(tmp_path, data: bytes, exit_code: int = 0) -> str:
    """An $EDITOR that saves `data` (raw bytes: any encoding) and exits with `exit_code`."""
    script = tmp_path / "save-bytes.py"
    script.write_text(
        "import sys, pathlib\n"
        f"pathlib.Path(sys.argv[-1]).write_bytes({data!r})\n"
        f"sys.exit({exit_code})\n"
    )
    return f"{sys.executable} {script}"


def drafts(tmp_path):
    folder = tmp_path / "drafts"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("Café résumé: I led the move.".encode("latin-1"), "Windows-1252"),
        ("Café résumé: I led the move.".encode("utf-16"), "UTF-16"),
        ("Café résumé: I led the move.".encode("utf-16-le"), "UTF-16"),
        ("\ufeffCafé résumé: I led the move.".encode(), ""),
    ],
    ids=["latin-1", "utf-16-bom", "utf-16-le", "utf-8-bom"],
)
def test_an_editor_saving_another_encoding_keeps_the_text(run, tmp_path, data, note):
    editor = saving_editor(tmp_path, data)
    result = run("answer", REF, "--edit", extra_env={"VISUAL": editor})
    assert result.exit_code == 0, result.output
    assert "Saved a new version." in result.output
    assert note in result.output
    history = json.loads(run("answer", REF, "--history", "--json").output)
    assert history[0]["text"] == "Café résumé: I led the move."
    assert drafts(tmp_path) == [], "a stored answer leaves no draft behind"


@pytest.mark.parametrize(
    "visual", ["'/usr/bin/vi", 'vi "unclosed', "\\"], ids=["quote", "dquote", "backslash"]
)
def test_a_bad_visual_is_one_line(run, visual):
    result = run("answer", REF, "--edit", extra_env={"VISUAL": visual})
    assert result.exit_code == 1
    assert result.stderr.startswith("error: $VISUAL is not a command drill can run")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_missing_editor_is_one_line(run, tmp_path):
    result = run("answer", REF, "--edit", extra_env={"VISUAL": str(tmp_path / "no-such-editor")})
    assert result.exit_code == 1 and "cannot run the editor" in result.stderr
    assert drafts(tmp_path) == []


def test_a_failing_editor_keeps_the_draft_and_says_where(run, tmp_path):
    typed = b"Situation: half an answer I must not lose."
    result = run("answer", REF, "--edit", extra_env={"VISUAL": saving_editor(tmp_path, typed, 3)})
    assert result.exit_code == 1
    [draft] = drafts(tmp_path)
    assert str(draft) in result.stderr and "status 3" in result.stderr
    assert draft.read_bytes() == typed
    # The next --edit resumes it (an editor that saves nothing new still stores it).
    again = run("answer", REF, "--edit", extra_env={"VISUAL": "true"})
    assert again.exit_code == 0, again.output
    assert "resumed the unsaved draft" in again.output and "Saved a new version." in again.output
    assert json.loads(run("answer", REF, "--history", "--json").output)[0]["text"] == (
        typed.decode()
    )
    assert drafts(tmp_path) == []


def test_a_failed_save_keeps_the_draft(run, tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "d.db")
    conn.execute(
        "CREATE TRIGGER no_answers BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    conn.commit()
    conn.close()
    typed = b"My carefully typed answer."
    result = run("answer", REF, "--edit", extra_env={"VISUAL": saving_editor(tmp_path, typed)})
    assert result.exit_code == 1
    [draft] = drafts(tmp_path)
    assert f"your text is kept in {draft}" in result.stderr
    assert draft.read_bytes() == typed


def test_cheat_sheet_keeps_list_items_apart(sample_db):
    # Issue 18: items ending in a full stop were joined as "achievement.; Select…".
    from drill.storage import repo

    question = repo.get_question(sample_db, "sample-deck", "career-goals")
    sample_db.execute(
        "UPDATE questions SET dos = ? WHERE id = 'career-goals'",
        ['["Name one measurable achievement.", "Select a goal\\nthe role supports."]'],
    )
    answers.save_answer(sample_db, "sample-deck", question.id, "Lead the team.", "cli", NOW)
    sheet = answers.cheat_sheet(sample_db)
    assert ".;" not in sheet
    assert "- Name one measurable achievement.\n- Select a goal the role supports.\n" in sheet


def _refuse_answers(tmp_path) -> None:
    """Make the database refuse every new answer (as a full disk or a lock would)."""
    import sqlite3

    conn = sqlite3.connect(tmp_path / "d.db")
    conn.execute(
        "CREATE TRIGGER no_answers BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    conn.commit()
    conn.close()


def _accept_answers(tmp_path) -> None:
    import sqlite3

    conn = sqlite3.connect(tmp_path / "d.db")
    conn.execute("DROP TRIGGER no_answers")
    conn.commit()
    conn.close()


def test_an_answer_the_database_does_not_take_is_kept_and_edit_resumes_it(run, tmp_path):
    """Not only $EDITOR: any answer whose save fails (--text here; the review app, the mock
    and the answer editor call the same service) is kept in a draft, and --edit resumes it."""
    run("answer", REF, "--history")  # the database exists
    _refuse_answers(tmp_path)
    result = run("answer", REF, "--text", "An answer I typed with care.")
    assert result.exit_code == 1
    draft = tmp_path / "drafts" / "answer-sample-deck-career-goals.md"
    assert result.stderr.endswith(
        f"; your text is kept in {draft}; drill answer {REF} --edit resumes it\n"
    )
    assert result.stderr.count("\n") == 1
    assert draft.read_text(encoding="utf-8") == "An answer I typed with care.\n"
    # A second failure never overwrites the first draft.
    assert run("answer", REF, "--text", "A second try.").exit_code == 1
    second = draft.with_name("answer-sample-deck-career-goals-2.md")
    assert draft.read_text(encoding="utf-8") == "An answer I typed with care.\n"
    assert second.read_text(encoding="utf-8") == "A second try.\n"
    _accept_answers(tmp_path)
    again = run("answer", REF, "--edit", extra_env={"VISUAL": "true"})
    assert again.exit_code == 0, again.output
    assert json.loads(run("answer", REF, "--history", "--json").output)[0]["text"] == (
        "An answer I typed with care."
    )
    assert drafts(tmp_path) == [second]


def test_a_follow_up_answer_the_database_does_not_take_is_kept(run, tmp_path):
    from drill.storage.db import open_database
    from drill.study.drafts import NotSaved

    run("answer", REF, "--history")
    _refuse_answers(tmp_path)
    db = open_database(tmp_path / "d.db")
    with pytest.raises(NotSaved) as caught:
        answers.save_follow_up(
            db, "sample-deck", "career-goals", "And then?", "Then I shipped it.", NOW
        )
    db.close()
    [draft] = drafts(tmp_path)
    assert draft.name == "follow-up-sample-deck-career-goals.md"
    assert str(draft) in str(caught.value)
    assert draft.read_text(encoding="utf-8") == "And then?\n\nThen I shipped it.\n"


def test_a_note_is_cleaned_like_an_answer_and_a_removed_question_is_missing(sample_db):
    # A note typed on a Why or Dos card is printed by `drill show` and the question page:
    # no escape sequence survives, and a question removed meanwhile is Missing (the review
    # app then goes home), as for answers.
    from drill.core.model import CardKind
    from drill.errors import Missing

    typed = "They ask \x1b[31mto hear\x1b[0m a story.\r\nIn brief."
    assert answers.save_note(sample_db, "sample-deck", "career-goals", CardKind.WHY, typed, NOW)
    [note] = answers.card_notes(sample_db, "sample-deck", "career-goals")
    assert "\x1b" not in note.text and "\r" not in note.text
    assert note.text.endswith("a story.\nIn brief.")
    with pytest.raises(Missing):
        answers.save_note(sample_db, "sample-deck", "gone", CardKind.WHY, "A note.", NOW)
