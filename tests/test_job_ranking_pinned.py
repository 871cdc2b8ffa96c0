"""The ranking's figures on the labelled postings, pinned: work on its speed must leave them
exactly as they were.

`tests/data/job_ranking.json` holds, for each labelled posting ranked against the bundled
general decks and role packs (as `drill job add` sees them), the terms with their scores, the
first 50 ranked questions with score and reason, and every requirement with its coverage, its
best questions and whether it is a gap. It was written by the ranking before the speed work
of issue 14 (a fresh index per posting, no caches). When the ranking changes on purpose (new
vocabulary, new decks, new weights), rewrite it with
`DRILL_WRITE_GOLDEN=1 pytest tests/test_job_ranking_pinned.py`, look at the diff, and re-run
tests/test_job_quality.py for the quality table.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from drill.core import words
from drill.core.ranking import QuestionIndex, Ranking, rank
from drill.core.terms import extract_terms
from drill.io.markdown.deck import parse_markdown
from drill.io.postings import load_background, parse_posting, read_posting_file
from drill.io.source import Source
from drill.library import bundled, jobs
from drill.library.importing import import_decks
from drill.storage import repo
from drill.storage.sqlite import StorageError
from tests.test_job_quality import JOBS, LABELS, bank

PINNED = JOBS.parent / "job_ranking.json"
SHOWN = 50


def _figure(value: float) -> float:
    # Six places: far finer than anything shown (three), and the same on every platform's libm.
    return round(value, 6)


def fingerprint(ranking: Ranking) -> dict[str, Any]:
    return {
        "level": ranking.level,
        "terms": [[t.text, t.kind, _figure(t.score)] for t in ranking.terms],
        "questions": [
            [s.ref, _figure(s.score), s.reason, list(s.terms), s.installed]
            for s in ranking.questions[:SHOWN]
        ],
        "ranked": len(ranking.questions),
        "requirements": [
            [
                m.requirement.text,
                list(m.terms),
                _figure(m.coverage),
                m.gap,
                [[s.ref, _figure(s.score)] for s in m.best],
            ]
            for m in ranking.requirements
        ],
    }


def rankings(index_for: Any) -> dict[str, dict[str, Any]]:
    background = load_background()
    out = {}
    for name, label in LABELS.items():
        posting = parse_posting(read_posting_file(JOBS / label["file"]), name)
        terms = extract_terms(posting, background)
        out[name] = fingerprint(rank(posting, terms, index_for()))
    return out


def _lines(pinned: dict[str, dict[str, Any]]) -> str:
    """JSON with one term, question or requirement a line (diffs a person can read)."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    postings = []
    for name, entry in pinned.items():
        parts = []
        for key, value in entry.items():
            if isinstance(value, list):
                inner = ",\n".join("   " + one(item) for item in value)
                parts.append(f"  {one(key)}: [\n{inner}\n  ]" if value else f"  {one(key)}: []")
            else:
                parts.append(f"  {one(key)}: {one(value)}")
        postings.append(f" {one(name)}: {{\n" + ",\n".join(parts) + "\n }")
    return "{\n" + ",\n".join(postings) + "\n}\n"


def test_the_ranking_of_every_labelled_posting_is_as_pinned():
    candidates = bank()
    fresh = rankings(lambda: QuestionIndex(candidates))
    if os.environ.get("DRILL_WRITE_GOLDEN"):
        PINNED.write_text(_lines(fresh), "utf-8")
    pinned = json.loads(Path(PINNED).read_text("utf-8"))
    assert fresh.keys() == pinned.keys()
    for name in pinned:
        assert fresh[name] == pinned[name], (
            f"{name}: the ranking moved. A speed change must not move it; a change to the "
            "vocabulary, the decks or the weights may: then rewrite tests/data/job_ranking.json "
            "with DRILL_WRITE_GOLDEN=1 and look at the diff"
        )


def test_one_index_ranks_every_posting_as_a_fresh_one_does():
    # An index is built once and read by any number of rankings: ranking never changes it.
    candidates = bank()
    shared = QuestionIndex(candidates)
    assert rankings(lambda: shared) == rankings(lambda: QuestionIndex(candidates))


# -- the word level, against the plain versions it replaced -----------------------------------

TRICKY = [
    "A/B-tested C++, C# and CI/CD; sales/marketing, P&L; Node.js & / +",
    "Ünïcode “quotes” — and dashes… «guillemets» ¿qué? ¡sí!",
    "don't o'brien x/y a//b /leading trailing/ c++/c# & && ## ++",
    "tab\there\nnew line\r\nwindows\x1cfile separator\u00a0nbsp\u2003em space",
    "© 2026 → arrows ½ fractions ﬁ ligature Ｆｕｌｌ／ｗｉｄｔｈ",
    "",
    "   ",
    "...!!!---",
]


def reference_tokens(text: str) -> list[str]:
    """tokens() as it was: str.translate over every text, marks looked for with a set."""
    found = words.fold(text).translate(words._PUNCTUATION).split()
    if not frozenset("/+#&").intersection(text):
        return found
    out: list[str] = []
    for token in found:
        if "/" in token:
            parts = [part for part in token.split("/") if part]
            if len(parts) > 1 and all(len(part) >= 3 for part in parts):
                out.extend(parts)
                continue
            token = "/".join(parts)
        if any(c.isalnum() for c in token):
            out.append(token)
    return out


def _reference_strip(word: str, suffixes: tuple[tuple[str, int], ...], inflection: bool) -> str:
    for suffix, shortest in suffixes:
        if not word.endswith(suffix):
            continue
        base = word[: len(word) - len(suffix)]
        if len(base) < shortest or not frozenset("aeiou").intersection(base):
            continue
        if suffix == "y" and base[-1] in "aeiou":
            continue
        if suffix == "s" and base[-1] in "su":
            continue
        doubled = inflection and suffix in ("ing", "ed") and base[-1] == base[-2]
        if doubled and (base[-1] not in "lsz" or (base[-1] == "l" and base[-3] == "e")):
            base = base[:-1]
        return base
    return word


def reference_stem(word: str) -> str:
    """stem() as it was: every suffix tried in turn."""
    if word in words._IRREGULAR:
        return words._IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    base = _reference_strip(word, words._INFLECTIONS, True)
    derived = _reference_strip(base, words._DERIVATIONS, False)
    if derived == base and base != word and word.endswith(("ed", "ing", "es")):
        again = _reference_strip(base + "e", words._DERIVATIONS, False)
        if again != base + "e":
            return again
    return derived


def every_text() -> list[str]:
    """Every text of the bundled bank and the labelled postings, and some awkward ones."""
    texts = list(TRICKY)
    for candidate in bank():
        q = candidate.question
        texts += [q.question, q.why, q.approach, q.short_answer, *q.variants, *q.tags]
        texts += [*q.follow_ups, *q.dos, *q.donts, *q.tips, *q.competencies]
    texts += [read_posting_file(JOBS / label["file"]) for label in LABELS.values()]
    return texts


def test_tokens_are_those_of_the_plain_version_on_every_text():
    texts = every_text()
    assert sum(map(len, texts)) > 200_000
    for text in texts:
        assert words.tokens(text) == reference_tokens(text), text


def test_stems_are_those_of_the_plain_version_on_every_word():
    found = {token for text in every_text() for token in words.tokens(text)}
    found |= {"planned", "modelling", "negotiated", "prioritization", "ies", "y", "a", ""}
    assert len(found) > 3000
    for word in sorted(found):
        assert words.stem(word) == reference_stem(word), word


# -- what a job's analysis reads from the collection -------------------------------------------


@pytest.fixture
def collection(db):
    """The bundled general decks and two role packs installed, and a deck of the user's own."""
    now = datetime(2026, 1, 5, 10, tzinfo=UTC)
    bundled.ensure_bundled(db, now)
    bundled.add_bundled(db, ["sales", "data-science-and-analytics"], now)
    import_decks(db, [parse_markdown(Source.from_bytes(OWN_DECK.encode(), "own.md"))], now)
    return db


OWN_DECK = """# My own
id: my-own

## Tell me about the Snowflake migration you ran.
id: snowflake
tags: sql, data warehouse
competencies: ownership, data
level: experienced

### Follow-ups
- What would you do differently?
"""


def test_the_collection_is_read_for_ranking_with_every_field_ranking_uses(collection):
    full = list(repo.iter_questions_of_all(collection))
    light = list(repo.iter_questions_for_ranking(collection))
    assert len(full) > 100
    assert [(deck, q.id) for deck, q in light] == [(deck, q.id) for deck, q in full]
    for (_, a), (_, b) in zip(full, light, strict=True):
        read = (b.question, b.variants, b.tags, b.competencies, b.level, b.follow_ups)
        assert read == (a.question, a.variants, a.tags, a.competencies, a.level, a.follow_ups)
    assert any(q.follow_ups and q.competencies and q.level for _, q in light)
    # The ranking reads nothing else: candidates made from whole questions rank the same.
    candidates = jobs.collect_candidates(collection)
    whole = {(deck, q.id): q for deck, q in full}
    same = [
        replace(c, question=whole[(c.deck_id, c.question.id)]) if c.installed else c
        for c in candidates
    ]
    assert rankings(lambda: QuestionIndex(candidates)) == rankings(lambda: QuestionIndex(same))


def test_a_damaged_question_is_a_storage_error_not_a_traceback(collection):
    collection.execute("UPDATE questions SET tags = '5' WHERE id = 'snowflake'")
    with pytest.raises(StorageError, match="question 'snowflake'"):
        list(repo.iter_questions_for_ranking(collection))


def test_role_packs_are_parsed_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    folder = tmp_path / "decks"
    shutil.copytree(bundled.bundled_dir(), folder)
    monkeypatch.setattr(bundled, "bundled_dir", lambda: folder)
    first = bundled.pack_decks()
    assert len(first) >= 8
    assert bundled.pack_decks() is first  # the same parse, not a new one
    sales = folder / "packs" / "sales.md"
    sales.write_text(sales.read_text("utf-8").replace("# Sales\n", "# Sales, edited\n", 1), "utf-8")
    again = bundled.pack_decks()
    assert again is not first
    assert "Sales, edited" in [deck.name for deck in again]
