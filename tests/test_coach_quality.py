"""How well the answer coach agrees with a human reader, on the labelled answers in
tests/data/answers/ (see its README for how they were written and labelled).

`python -m tests.test_coach_quality` prints the table that docs/answer-coach.md carries.
The test fails when the coach falls below the issue's aims: precision 0.9 on fillers and on
red flags, recall 0.8 on STAR parts (over the whole set; the table shows each split).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from drill.core.coach.insights import Insights, analyse
from drill.core.model import Question

DATA = Path(__file__).parent / "data" / "answers"
STAR_PARTS = ("situation", "task", "action", "result")
ORDER = (
    "fillers",
    "hedges",
    "red flags",
    "STAR parts (all four)",
    *(f"STAR: {part}" for part in STAR_PARTS),
    "learning",
    "result measured",
    "no personal action (flag)",
    "vague (flag)",
)


def load_questions() -> dict[str, Question]:
    raw = tomllib.loads((DATA / "questions.toml").read_text(encoding="utf-8"))
    return {
        key: Question(
            id=key,
            question=d["question"],
            type=d.get("type", ""),
            competencies=list(d.get("competencies", [])),
            tags=list(d.get("tags", [])),
            dos=list(d.get("dos", [])),
            donts=list(d.get("donts", [])),
            red_flags=list(d.get("red_flags", [])),
            key_phrases=list(d.get("key_phrases", [])),
            length=tuple(d["length"]) if "length" in d else None,  # type: ignore[arg-type]
        )
        for key, d in raw.items()
    }


@dataclass(frozen=True)
class Labelled:
    name: str
    split: str
    question: Question
    text: str
    labels: dict[str, object]


def load_answers() -> list[Labelled]:
    questions = load_questions()
    out = []
    for path in sorted(DATA.glob("*.toml")):
        if path.name == "questions.toml":
            continue
        d = tomllib.loads(path.read_text(encoding="utf-8"))
        out.append(
            Labelled(path.stem, d["split"], questions[d["question"]], d["text"], d["labels"])
        )
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, predicted: int, actual: int, where: str = "") -> None:
        """Counts (a filler found 3 times, labelled 2) or booleans (1 or 0)."""
        hit = min(predicted, actual)
        self.tp += hit
        self.fp += predicted - hit
        self.fn += actual - hit
        if not predicted and not actual:
            self.tn += 1
        if predicted != actual and where:
            self.misses.append(f"{where}: found {predicted}, labelled {actual}")

    @property
    def precision(self) -> float | None:
        found = self.tp + self.fp
        return self.tp / found if found else None

    @property
    def recall(self) -> float | None:
        real = self.tp + self.fn
        return self.tp / real if real else None


def _counts(occurrences: Iterable[object]) -> dict[str, int]:
    return {o.text: o.count for o in occurrences}  # type: ignore[attr-defined]


def evaluate(answers: list[Labelled]) -> dict[str, Score]:
    scores: dict[str, Score] = {}

    def score(name: str) -> Score:
        return scores.setdefault(name, Score())

    for item in answers:
        insights: Insights = analyse(item.question, item.text)
        labels = item.labels
        for key, found in (("fillers", insights.fillers), ("hedges", insights.hedges)):
            predicted = _counts(found)
            actual: dict[str, int] = dict(labels[key])  # type: ignore[call-overload]
            for kind in set(predicted) | set(actual):
                score(key).add(predicted.get(kind, 0), actual.get(kind, 0), f"{item.name} {kind!r}")
        star_labels = set(labels["star"])  # type: ignore[call-overload]
        if insights.star.applies:
            for part in STAR_PARTS:
                found = insights.star.part(part).found
                for name in (f"STAR: {part}", "STAR parts (all four)"):
                    score(name).add(int(found), int(part in star_labels), item.name)
            score("learning").add(
                int(insights.star.learning.found), int(labels["learning"]), item.name
            )  # type: ignore[call-overload]
            score("result measured").add(
                int(insights.star.result_measured),
                int(labels["result_measured"]),
                item.name,  # type: ignore[call-overload]
            )
            score("no personal action (flag)").add(
                int(insights.no_personal_action),
                int(labels["no_personal_action"]),
                item.name,  # type: ignore[call-overload]
            )
        score("vague (flag)").add(int(insights.specifics.vague), int(labels["vague"]), item.name)  # type: ignore[call-overload]
        length_ok = insights.length == labels["length"]
        score("length verdict").add(int(length_ok), 1, f"{item.name} {insights.length}")
        found_flags = {f"q{h.index}" if h.index is not None else h.key for h in insights.red_flags}
        real_flags = {f"q{i}" for i in labels["red_flags"]} | set(labels["general_flags"])  # type: ignore[attr-defined]
        for flag in found_flags | real_flags:
            score("red flags").add(
                int(flag in found_flags), int(flag in real_flags), f"{item.name} {flag}"
            )
    return scores


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table() -> str:
    answers = load_answers()
    splits = {
        "dev": [a for a in answers if a.split == "dev"],
        "held-out": [a for a in answers if a.split == "held-out"],
        "all": answers,
    }
    results = {name: evaluate(items) for name, items in splits.items()}
    counts = " · ".join(f"{name} {len(items)}" for name, items in splits.items())
    lines = [
        f"Answers: {counts}.",
        "",
        "| Insight | Precision (dev / held-out / all) | Recall (dev / held-out / all) | Support (all) |",
        "| --- | --- | --- | --- |",
    ]
    for insight in ORDER:
        p = " / ".join(
            _cell(results[s][insight].precision) if insight in results[s] else "–" for s in splits
        )
        r = " / ".join(
            _cell(results[s][insight].recall) if insight in results[s] else "–" for s in splits
        )
        all_score = results["all"][insight]
        lines.append(f"| {insight} | {p} | {r} | {all_score.tp + all_score.fn} |")
    length = results["all"]["length verdict"]
    lines += ["", f"Length verdict: {length.tp} of {length.tp + length.fn} right."]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return evaluate(load_answers())


def test_the_set_is_large_enough_and_hard() -> None:
    answers = load_answers()
    assert len(answers) >= 30
    notes = " ".join(a.text for a in answers)
    # The hard cases the issue names are in it.
    assert "like a preference flag" in notes  # "like" used properly
    assert "organised" in notes and "£" in notes  # British spelling
    assert "bless him" in notes  # sarcasm


def test_report_table(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + table())


def test_fillers_are_precise(scores: dict[str, Score]) -> None:
    precision = scores["fillers"].precision
    assert precision is not None and precision >= 0.9, scores["fillers"].misses


def test_red_flags_are_precise(scores: dict[str, Score]) -> None:
    precision = scores["red flags"].precision
    assert precision is not None and precision >= 0.9, scores["red flags"].misses


def test_star_parts_are_found(scores: dict[str, Score]) -> None:
    recall = scores["STAR parts (all four)"].recall
    assert recall is not None and recall >= 0.8, scores["STAR parts (all four)"].misses


def bundled_examples() -> tuple[list[tuple[str, Insights]], list[tuple[str, Insights]]]:
    """Every bundled question's good answers (the examples and short answer) and its bad
    example, each with the coach's insights on it.
    """
    from drill.io.markdown.deck import parse_markdown
    from drill.io.source import Source

    decks = Path(__file__).parents[1] / "decks"
    good: list[tuple[str, Insights]] = []
    bad: list[tuple[str, Insights]] = []
    for path in sorted(decks.glob("*.md")) + sorted((decks / "packs").glob("*.md")):
        for question in parse_markdown(Source.read(path)).questions:
            where = f"{path.stem}/{question.id}"
            texts = [e.text for e in question.examples]
            if question.short_answer:
                texts.append(question.short_answer)
            good += [(where, analyse(question, text)) for text in texts]
            if question.bad_example:
                bad.append((where, analyse(question, question.bad_example)))
    return good, bad


def test_no_accusation_on_the_bundled_example_answers() -> None:
    """The decks' own example answers were written to be good ones: a red flag or a don't
    found in any of them is a false accusation a user would see at once.
    """
    good, bad = bundled_examples()
    assert len(good) >= 600
    accused = [
        (where, hit.text, hit.evidence)
        for where, found in good
        for hit in (*found.red_flags, *found.donts)
    ]
    assert accused == []
    # And the bad examples, written to show what to avoid, are caught at least as often as
    # when this was written (80 of 220): a floor against losing recall, not an aim.
    caught = sum(1 for _, found in bad if found.red_flags or found.donts)
    assert caught >= 80, caught


def test_length_verdicts_match(scores: dict[str, Score]) -> None:
    assert scores["length verdict"].fn == 0, scores["length verdict"].misses


if __name__ == "__main__":
    print(table())
    good, bad = bundled_examples()
    accused = sum(1 for _, found in good if found.red_flags or found.donts)
    caught = sum(1 for _, found in bad if found.red_flags or found.donts)
    print(
        f"\nBundled decks: {accused} of {len(good)} example answers accused of a red flag or"
        f" a don't; {caught} of {len(bad)} bad examples caught."
    )
    for name, items in (("example answers", good), ("bad examples", bad)):
        checks = [c for _, found in items for c in found.dos if c.judgeable]
        covered = sum(c.covered for c in checks)
        print(f"Dos found in the {name}: {covered} of {len(checks)}.")
