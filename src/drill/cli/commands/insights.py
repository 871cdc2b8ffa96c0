"""`drill insights`: what the coach finds in an answer, each point with the words that show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from drill.cli.context import ROW_ID, State, emit_json, pass_state, read_text_file, safe

if TYPE_CHECKING:
    from drill.core.coach.insights import FlagHit, Insights, Occurrences
    from drill.progress.insights import AnswerInsights

SNIPPET = 72


def split_ref(ref: str) -> tuple[str, str]:
    deck_id, sep, question_id = ref.partition("/")
    if not sep or not deck_id or not question_id:
        raise click.BadParameter("use DECK/QUESTION, e.g. career-and-goals/career-goals")
    return deck_id, question_id


def quote(text: str, width: int = SNIPPET) -> str:
    """Evidence on one line, cut at a word, in quotes; control characters removed."""
    flat = " ".join(safe(text).split())
    if len(flat) > width:
        flat = flat[: width - 1].rsplit(" ", 1)[0] + "…"
    return f'"{flat}"'


@click.command()
@click.argument("ref", metavar="DECK/QUESTION")
@click.option("--text", help="Analyse this text instead of your latest saved answer.")
@click.option(
    "--file",
    "file",
    metavar="FILE",
    help="Analyse the text in FILE ('-' reads standard input).",
)
@click.option(
    "--job", "job_id", type=ROW_ID, metavar="ID", help="Also check the terms of this job posting."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def insights(
    state: State,
    ref: str,
    text: str | None,
    file: str | None,
    job_id: int | None,
    as_json: bool,
) -> None:
    """Insights on an answer: length, fillers, STAR, specifics, dos, red flags, rubric.

    Analyses TEXT or FILE, or else your latest saved answer to the question, and shows
    each finding with the words of the answer that show it. Nothing is saved.

    \b
    drill insights behavioral-challenges/tell-me-about-a-failure
    drill insights about-you/tell-me-about-yourself --file draft.txt
    drill insights about-you/tell-me-about-yourself --text "I'm a nurse..." --json
    drill insights about-you/tell-me-about-yourself --job 1   # the posting's terms
    """
    from drill.io.answer_text import check_text
    from drill.progress.insights import answer_insights

    deck_id, question_id = split_ref(ref)
    if text is not None and file is not None:
        raise click.UsageError("give --text or --file, not both")
    origin = "text"
    if text is not None:
        text = check_text(text)
    elif file is not None:
        origin = "file"
        text = read_text_file(file)
    report = answer_insights(state.db(), deck_id, question_id, text, origin=origin, job_id=job_id)
    if as_json:
        emit_json(report.to_json())
        return
    for line in render(report):
        click.echo(line)


def _label(name: str) -> str:
    return f"{name:<11}"


def _indent() -> str:
    return " " * 11


def render(report: AnswerInsights) -> list[str]:
    """The report for people, one finding a line."""
    from drill.core import format

    found = report.insights
    lines = [safe(report.question.question)]
    where = f"{report.deck_id}/{report.question.id}"
    if report.version is not None:
        stamp = report.version.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        where += f" · your answer of {stamp} ({report.version.source})"
    else:
        where += f" · the {'file' if report.origin == 'file' else 'text'} you gave"
    lines += [safe(where), ""]
    low, high = found.target_seconds
    spoken = format.clock_time(found.speaking_seconds)
    lines.append(
        _label("Length")
        + f"{format.plural(found.words, 'word')}, about {spoken} spoken at 140 words a minute; "
        f"target {format.speaking_time(low, high)}: {found.length}"
    )
    lines += _occurrence_lines("Fillers", found.fillers, found.filler_count)
    lines += _occurrence_lines("Hedges", found.hedges, found.hedge_count)
    lines += _star_lines(found)
    i, we = found.pronouns
    ownership = f"I {i}, we {we}"
    if found.no_personal_action and found.star.applies:
        ownership += ': never says what you did (say "I" for your own steps)'
    lines.append(_label("Ownership") + ownership)
    lines += _specifics_lines(found)
    lines += _dos_lines(found)
    lines += _flag_lines("Red flags", found.red_flags)
    if found.donts:
        lines += _flag_lines("Don'ts", found.donts)
    if found.key_phrases:
        phrases = "; ".join(quote(p, 40) for p, _ in found.key_phrases)
        lines.append(_label("Key phrases") + phrases)
    if found.job_terms is not None:
        used = ", ".join(found.job_terms.used) or "none"
        missing = ", ".join(found.job_terms.missing) or "none"
        lines.append(_label("Job terms") + safe(f"used: {used}; missing: {missing}"))
    rubric = found.rubric
    cells = " · ".join(
        f"{row.label.split()[0].lower()} {'-' if row.points is None else row.points}"
        for row in rubric.rows
    )
    lines.append(_label("Rubric") + f"{cells} = {rubric.total}/{rubric.out_of}")
    suggestion = found.suggestion()
    why = "; ".join(suggestion.reasons)
    lines.append(_label("Suggested") + f"{suggestion.rating.label} ({safe(why)})")
    lines += _trend_lines(report)
    return lines


def _occurrence_lines(title: str, found: tuple[Occurrences, ...], total: int) -> list[str]:
    if not total:
        return [_label(title) + "none"]
    from drill.core.coach.fillers import spoken

    items = [f'"{spoken(o.text)}" x{o.count} ({safe(o.contexts[0])})' for o in found]
    return [_label(title) + f"{total}: " + items[0]] + [_indent() + item for item in items[1:]]


def _star_lines(found: Insights) -> list[str]:
    star = found.star
    if not star.applies:
        return [_label("STAR") + "not scored: this is not a behavioral question"]
    lines: list[str] = []
    for name in ("situation", "task", "action", "result", "learning"):
        part = star.part(name)
        mark = "✓" if part.found else "✗"
        label = "lesson" if name == "learning" else name
        detail = quote(part.evidence) if part.found else "not found"
        first = _label("STAR") if not lines else _indent()
        lines.append(f"{first}{mark} {label:<10}{detail}")
    share = f"{round(star.action_share * 100)}%"
    lines.append(
        _indent()
        + f"{share} of the answer on action; result measured: "
        + ("yes" if star.result_measured else "no")
    )
    return lines


def _specifics_lines(found: Insights) -> list[str]:
    spec = found.specifics
    if spec.vague:
        return [_label("Specifics") + "none: no number, name or time frame (vague)"]
    parts = []
    # "three weeks" is a figure and a time frame: the time frames list the others.
    figures = list(dict.fromkeys(spec.numbers))
    times = [t for t in dict.fromkeys(spec.time_frames) if t not in figures]
    for name, values in (
        ("numbers", figures),
        ("names", list(spec.names)),
        ("time frames", times),
    ):
        if values:
            parts.append(f"{name}: {', '.join(values[:6])}" + (", …" if len(values) > 6 else ""))
    return [_label("Specifics") + safe("; ".join(parts))]


def _dos_lines(found: Insights) -> list[str]:
    if not found.dos:
        return [_label("Dos") + "none on this card"]
    lines: list[str] = []
    for check in found.dos:
        text = " ".join(safe(check.text).split()).rstrip(".")
        if not check.judgeable:
            line = f"- {text} (can't be heard in an answer)"
        elif check.covered:
            line = f"✓ {text}: {quote(check.evidence, 56)}"
        else:
            line = f"· {text}"
        lines.append((_label("Dos") if not lines else _indent()) + line)
    return lines


def _flag_lines(title: str, hits: tuple[FlagHit, ...]) -> list[str]:
    if not hits:
        return [_label(title) + "none found"]
    lines: list[str] = []
    for hit in hits:
        text = " ".join(safe(hit.text).split()).rstrip(".")
        evidence = quote(hit.evidence, 56)
        lines.append((_label(title) if not lines else _indent()) + f"✗ {text}: {evidence}")
    return lines


def _trend_lines(report: AnswerInsights) -> list[str]:
    points = report.trend
    if len(points) < 2:
        return []

    def series(values: list[str]) -> str:
        shown = values[-6:]
        return ("… → " if len(values) > 6 else "") + " → ".join(shown)

    found = [p.insights for p in points]
    rows = [
        ("words", [f"{f.words} ({f.length})" for f in found]),
        ("fillers", [str(f.filler_count) for f in found]),
        ("hedges", [str(f.hedge_count) for f in found]),
    ]
    if any(f.star.applies for f in found):
        rows += [
            ("STAR", [f"{len(f.star.found)}/4" for f in found]),
            ("measured result", ["yes" if f.star.result_measured else "no" for f in found]),
        ]
    rows += [
        ("I / we", [f"{f.pronouns[0]}/{f.pronouns[1]}" for f in found]),
        ("red flags", [str(len(f.red_flags)) for f in found]),
        ("rubric", [f"{f.rubric.total}/{f.rubric.out_of}" for f in found]),
        ("suggested", [f.suggested_rating.label for f in found]),
    ]
    return [_label("Trend") + f"{len(points)} saved versions, oldest first"] + [
        _indent() + f"{name} {series(values)}" for name, values in rows
    ]
