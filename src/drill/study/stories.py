"""The story bank: a handful of true stories, each reused across the questions it answers.

Coaches have candidates prepare 8-10 stories that together cover the competencies
interviewers probe. A story is versioned like an answer, carries the competencies it shows
(given by the user, suggested from its words), and links to questions; drill suggests links
to questions whose competencies or tags match. Coverage shows which competencies still have
no story, and which story is leaned on by too many questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.core import clock
from drill.core.coach import competencies as comp
from drill.core.coach import star
from drill.core.format import iso_utc
from drill.core.model import Question, slugify
from drill.errors import DrillError
from drill.io.stories_json import StoryRecord
from drill.storage import repo
from drill.storage import stories as table
from drill.storage.sqlite import write_transaction

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

SOURCES = ("cli", "editor", "review", "import")
# A story linked to more questions than this is one an interviewer may hear twice.
OVERUSED = 4
# When the questions in scope name no competencies (older decks), coverage uses these:
# the ones interviewers probe most.
CORE_COMPETENCIES = (
    "leadership",
    "conflict",
    "failure",
    "ownership",
    "influence",
    "customer",
    "data",
    "teamwork",
)
MAX_TITLE = 120


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    text: str
    competencies: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    versions: int
    links: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "competencies": list(self.competencies),
            "created_at": iso_utc(self.created_at),
            "updated_at": iso_utc(self.updated_at),
            "versions": self.versions,
            "links": self.links,
        }


@dataclass(frozen=True, slots=True)
class StoryVersion:
    text: str
    created_at: datetime
    source: str

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "created_at": iso_utc(self.created_at), "source": self.source}


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A question as stories see it: where it is, what it asks, what it probes."""

    deck_id: str
    question_id: str
    question: str
    competencies: tuple[str, ...]
    behavioral: bool = False
    # Questions you ask, and salary or notice, are not answered with a story.
    takes_a_story: bool = True

    @property
    def ref(self) -> str:
        return f"{self.deck_id}/{self.question_id}"

    def to_json(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question": self.question,
            "competencies": list(self.competencies),
        }


@dataclass(frozen=True, slots=True)
class LinkSuggestion:
    question: QuestionRef
    because: tuple[str, ...]  # the competencies or tags the story shares with it

    def to_json(self) -> dict[str, object]:
        return {**self.question.to_json(), "because": list(self.because)}


@dataclass(frozen=True, slots=True)
class StoryDetail:
    story: Story
    linked: tuple[QuestionRef, ...]
    shows: tuple[str, ...]  # its own competencies and those of the questions it answers
    suggested_competencies: tuple[str, ...]  # from its words, not yet its own
    suggestions: tuple[LinkSuggestion, ...]

    def to_json(self) -> dict[str, object]:
        return {
            **self.story.to_json(),
            "linked": [q.to_json() for q in self.linked],
            "shows": list(self.shows),
            "suggested_competencies": list(self.suggested_competencies),
            "suggestions": [s.to_json() for s in self.suggestions],
        }


def _story(row: table.StoryRow) -> Story:
    import json

    story_id, title, competencies, created, text, updated, versions, links = row
    return Story(
        story_id,
        title,
        text,
        tuple(json.loads(competencies)),
        clock.from_ms(created),
        clock.from_ms(updated),
        versions,
        links,
    )


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DrillError("a story needs a title")
    if len(title) > MAX_TITLE:
        raise DrillError(f"a story title can be at most {MAX_TITLE} characters")
    return title


def _competencies(names: Iterable[str]) -> list[str]:
    try:
        return comp.check(list(names))
    except ValueError as exc:
        raise DrillError(str(exc)) from None


def _question(db: Database, ref: str) -> tuple[str, str]:
    deck_id, sep, question_id = ref.partition("/")
    if not sep or not deck_id or not question_id:
        raise DrillError(f"'{ref}' is not DECK/QUESTION")
    if repo.get_question(db, deck_id, question_id) is None:
        raise DrillError(f"no question '{ref}'")
    return deck_id, question_id


def new_id(db: Database, title: str) -> str:
    """A slug of the title, unique among stories ("-2", "-3" on a clash)."""
    base = slugify(title)[:60].strip("-") or "story"
    taken = table.ids(db)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def add_story(
    db: Database,
    title: str,
    text: str,
    now: datetime,
    *,
    competencies: Iterable[str] = (),
    links: Iterable[str] = (),
    source: str = "cli",
) -> Story:
    """A new story (its text already checked); links are DECK/QUESTION references."""
    if source not in SOURCES:
        raise ValueError(f"unknown story source {source!r}")
    title = _title(title)
    names = _competencies(competencies)
    ms = clock.to_ms(now)
    with write_transaction(db):
        refs = [_question(db, ref) for ref in links]
        story_id = new_id(db, title)
        table.insert(db, story_id, title, names, ms)
        table.add_version(db, story_id, text, ms, source)
        for deck_id, question_id in refs:
            table.link(db, story_id, deck_id, question_id, ms)
    return get_story(db, story_id)


@dataclass(frozen=True, slots=True)
class Edited:
    """What an edit changed."""

    text: bool = False
    title: bool = False
    competencies: bool = False
    linked: tuple[str, ...] = ()
    unlinked: tuple[str, ...] = ()

    @property
    def anything(self) -> bool:
        return any((self.text, self.title, self.competencies, self.linked, self.unlinked))


def edit_story(
    db: Database,
    story_id: str,
    now: datetime,
    *,
    text: str | None = None,
    title: str | None = None,
    competencies: Iterable[str] | None = None,
    link: Iterable[str] = (),
    unlink: Iterable[str] = (),
    source: str = "cli",
) -> Edited:
    """Change a story in one transaction. New text is a new version unless it is unchanged."""
    ms = clock.to_ms(now)
    with write_transaction(db):
        current = table.get(db, story_id)
        if current is None:
            raise DrillError(f"no story '{story_id}'")
        story = _story(current)
        changed_text = text is not None and text != story.text
        if changed_text:
            assert text is not None
            table.add_version(db, story_id, text, ms, source)
        changed_title = False
        if title is not None and _title(title) != story.title:
            table.set_title(db, story_id, _title(title))
            changed_title = True
        changed_competencies = False
        if competencies is not None:
            names = _competencies(competencies)
            if tuple(names) != story.competencies:
                table.set_competencies(db, story_id, names)
                changed_competencies = True
        linked = tuple(ref for ref in link if table.link(db, story_id, *_question(db, ref), ms))
        unlinked = tuple(ref for ref in unlink if table.unlink(db, story_id, *_question(db, ref)))
    return Edited(changed_text, changed_title, changed_competencies, linked, unlinked)


def remove_story(db: Database, story_id: str, now: datetime) -> Story:
    """Delete a story with its versions and links, after an automatic backup."""
    from drill.storage.backup import automatic_backup, database_path

    story = get_story(db, story_id)
    automatic_backup(db, database_path(db), "story", now)
    with write_transaction(db):
        table.delete(db, story_id)
    return story


def get_story(db: Database, story_id: str) -> Story:
    row = table.get(db, story_id)
    if row is None:
        raise DrillError(f"no story '{story_id}' (see `drill story list`)")
    return _story(row)


def stories(db: Database) -> list[Story]:
    """Every story, oldest first."""
    return [_story(row) for row in table.iter_all(db)]


def history(db: Database, story_id: str) -> list[StoryVersion]:
    """Every version of a story's text, newest first."""
    get_story(db, story_id)
    return [
        StoryVersion(text, clock.from_ms(ms), source)
        for text, ms, source in table.versions(db, story_id)
    ]


def stories_for_question(db: Database, deck_id: str, question_id: str) -> list[Story]:
    """The stories linked to a question (for the back of its rehearse card)."""
    return [get_story(db, story_id) for story_id in table.stories_for(db, deck_id, question_id)]


# Question types no story answers: the questions you ask them, and salary, notice or hours.
NO_STORY_TYPES = frozenset(["ask-them", "logistics"])


def _ref(deck_id: str, question: Question) -> QuestionRef:
    return QuestionRef(
        deck_id,
        question.id,
        question.question,
        tuple(comp.of_question(question)),
        star.applies(question),
        question.type not in NO_STORY_TYPES,
    )


def _all_questions(db: Database, deck_ids: Iterable[str] | None = None) -> list[QuestionRef]:
    decks = [d.id for d in repo.decks(db)] if deck_ids is None else list(deck_ids)
    return [_ref(deck_id, q) for deck_id in decks for q in repo.iter_questions(db, deck_id)]


def detail(db: Database, story_id: str, *, limit: int = 8) -> StoryDetail:
    """A story with the questions it answers, what it shows, and questions it could answer."""
    story = get_story(db, story_id)
    questions = {(q.deck_id, q.question_id): q for q in _all_questions(db)}
    linked = tuple(
        questions[(deck_id, question_id)]
        for _, deck_id, question_id in table.links(db, story_id)
        if (deck_id, question_id) in questions
    )
    shows = list(story.competencies)
    for question in linked:
        shows += [c for c in question.competencies if c not in shows]
    suggested = tuple(c for c in comp.suggest_for_text(story.text) if c not in shows)
    wanted = set(shows) | set(suggested)
    linked_keys = {(q.deck_id, q.question_id) for q in linked}
    ranked: list[tuple[int, int, LinkSuggestion]] = []
    for position, question in enumerate(questions.values()):
        if (question.deck_id, question.question_id) in linked_keys or not question.takes_a_story:
            continue
        shared = tuple(c for c in question.competencies if c in wanted)
        if shared:
            ranked.append((-len(shared), position, LinkSuggestion(question, shared)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return StoryDetail(
        story, linked, tuple(shows), suggested, tuple(s for _, _, s in ranked[:limit])
    )


@dataclass(frozen=True, slots=True)
class CompetencyCoverage:
    competency: str
    questions: int  # questions in scope that probe it
    stories: tuple[str, ...]  # ids of the stories that show it

    def to_json(self) -> dict[str, object]:
        return {
            "competency": self.competency,
            "questions": self.questions,
            "stories": list(self.stories),
        }


@dataclass(frozen=True, slots=True)
class StoryUse:
    story: Story
    questions: int  # linked questions in scope
    shows: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.story.id,
            "title": self.story.title,
            "questions": self.questions,
            "competencies": list(self.shows),
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """Competencies × stories over the questions in scope."""

    rows: tuple[CompetencyCoverage, ...]
    stories: tuple[StoryUse, ...]
    scope_questions: int

    @property
    def gaps(self) -> list[str]:
        return [row.competency for row in self.rows if not row.stories]

    @property
    def overused(self) -> list[StoryUse]:
        return [use for use in self.stories if use.questions > OVERUSED]

    def to_json(self) -> dict[str, object]:
        return {
            "questions": self.scope_questions,
            "competencies": [row.to_json() for row in self.rows],
            "stories": [use.to_json() for use in self.stories],
            "gaps": self.gaps,
            "overused": [use.to_json() for use in self.overused],
            "overused_above": OVERUSED,
        }


def coverage(db: Database, questions: list[QuestionRef] | None = None) -> Coverage:
    """Which competencies the stories cover, over `questions` (default: every deck's)."""
    scope = _all_questions(db) if questions is None else questions
    in_scope = {(q.deck_id, q.question_id): q for q in scope}
    probed: dict[str, int] = {}
    # Stories answer behavioral questions: "why this company" probes motivation, but no
    # story is needed for it.
    for question in scope:
        if not question.behavioral:
            continue
        for name in question.competencies:
            probed[name] = probed.get(name, 0) + 1
    if not probed:
        probed = dict.fromkeys(CORE_COMPETENCIES, 0)
    every = stories(db)
    links_by_story: dict[str, list[QuestionRef]] = {}
    for story_id, deck_id, question_id in table.links(db):
        linked = in_scope.get((deck_id, question_id))
        if linked is not None:
            links_by_story.setdefault(story_id, []).append(linked)
    uses = []
    for story in every:
        shows = list(story.competencies)
        for question in links_by_story.get(story.id, []):
            shows += [c for c in question.competencies if c not in shows]
        uses.append(StoryUse(story, len(links_by_story.get(story.id, [])), tuple(shows)))
    order = sorted(probed, key=lambda name: (-probed[name], name))
    rows = tuple(
        CompetencyCoverage(
            name, probed[name], tuple(use.story.id for use in uses if name in use.shows)
        )
        for name in order
    )
    return Coverage(rows, tuple(uses), len(scope))


def questions_of_decks(db: Database, deck_ids: Iterable[str]) -> list[QuestionRef]:
    """The questions of these decks, as coverage takes them (for `--deck`, and jobs)."""
    return _all_questions(db, deck_ids)


def job_questions(db: Database, job_id: int) -> list[QuestionRef]:
    """A job's set of questions (library.jobs), as coverage takes them."""
    from drill.library.jobs import job_scope

    members = job_scope(db, job_id).members
    return question_refs(
        db,
        ((deck_id, question_id) for deck_id in members for question_id in sorted(members[deck_id])),
    )


def question_refs(db: Database, refs: Iterable[tuple[str, str]]) -> list[QuestionRef]:
    """Questions by (deck, question id), skipping any that are gone."""
    out = []
    for deck_id, question_id in refs:
        question = repo.get_question(db, deck_id, question_id)
        if question is not None:
            out.append(_ref(deck_id, question))
    return out


# -- export ---------------------------------------------------------------------------------------


def export_rows(db: Database) -> list[dict[str, object]]:
    """Every story with all its versions (oldest first) and links: `drill export stories`."""
    links: dict[str, list[dict[str, str]]] = {}
    for story_id, deck_id, question_id in table.links(db):
        links.setdefault(story_id, []).append({"deck": deck_id, "question_id": question_id})
    out: list[dict[str, object]] = []
    for item in stories(db):
        versions = [v.to_json() for v in reversed(history(db, item.id))]
        out.append(
            {
                "id": item.id,
                "title": item.title,
                "competencies": list(item.competencies),
                "created_at": iso_utc(item.created_at),
                "versions": versions,
                "links": links.get(item.id, []),
            }
        )
    return out


def export_markdown(db: Database) -> str:
    """Every story, its latest text, what it shows and the questions it answers."""
    lines = ["# My stories", ""]
    found = stories(db)
    if not found:
        lines += ['No stories yet: add one with `drill story add "Title" --edit`.', ""]
    for item in found:
        view = detail(db, item.id, limit=0)
        lines += [f"## {item.title}", ""]
        if view.shows:
            lines += [f"*Shows:* {', '.join(view.shows)}", ""]
        lines += [item.text.strip(), ""]
        if view.linked:
            lines += ["*Answers:*", ""]
            lines += [f"- {q.question}" for q in view.linked]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True, slots=True)
class Imported:
    added: int  # new stories
    versions: int  # versions added (to new and existing stories)
    links: int  # links added
    missing_questions: tuple[str, ...]  # links to questions this database does not have

    def summary(self) -> str:
        text = (
            f"{self.added} stor{'y' if self.added == 1 else 'ies'} added, "
            f"{self.versions} version{'' if self.versions == 1 else 's'} and "
            f"{self.links} link{'' if self.links == 1 else 's'} added"
        )
        if self.missing_questions:
            text += (
                f"; {len(self.missing_questions)} link(s) skipped (import their decks first: "
                + ", ".join(self.missing_questions[:3])
                + ("…" if len(self.missing_questions) > 3 else "")
                + ")"
            )
        return text


def import_stories(db: Database, records: Iterable[StoryRecord]) -> Imported:
    """Merge exported stories in one transaction: a story is matched by id; versions already
    present (same time and text) and links already made are skipped, so importing the same
    file twice adds nothing.
    """
    added = versions = links = 0
    missing: list[str] = []
    with write_transaction(db):
        for record in records:
            names = _competencies(record.competencies)
            if not table.exists(db, record.id):
                table.insert(
                    db, record.id, _title(record.title), names, clock.to_ms(record.created_at)
                )
                added += 1
            have = set(table.versions(db, record.id))
            for version in sorted(record.versions, key=lambda v: v.created_at):
                ms = clock.to_ms(version.created_at)
                source = version.source if version.source in SOURCES else "import"
                if any(text == version.text and at == ms for text, at, _ in have):
                    continue
                table.add_version(db, record.id, version.text, ms, source)
                versions += 1
            for deck_id, question_id in record.links:
                if repo.get_question(db, deck_id, question_id) is None:
                    missing.append(f"{deck_id}/{question_id}")
                    continue
                if table.link(db, record.id, deck_id, question_id, clock.to_ms(record.created_at)):
                    links += 1
    return Imported(added, versions, links, tuple(missing))


@dataclass(frozen=True, slots=True)
class StoryChoice:
    """A story as a question's pickers show it: linked to it, or suggested for it."""

    story: Story
    linked: bool
    suggested: bool  # shows a competency the question probes


def choices_for_question(db: Database, deck_id: str, question_id: str) -> list[StoryChoice]:
    """Every story for a question's pickers: linked first, then suggested, then the rest."""
    question = repo.get_question(db, deck_id, question_id)
    probes = set(comp.of_question(question)) if question is not None else set()
    linked = set(table.stories_for(db, deck_id, question_id))
    shown: dict[str, set[str]] = {}
    for story_id, link_deck, link_question in table.links(db):
        other = repo.get_question(db, link_deck, link_question)
        if other is not None:
            shown.setdefault(story_id, set()).update(comp.of_question(other))
    out = []
    for item in stories(db):
        shows = set(item.competencies) | shown.get(item.id, set())
        out.append(StoryChoice(item, item.id in linked, bool(shows & probes)))
    out.sort(key=lambda c: (not c.linked, not c.suggested))
    return out


def toggle_link(db: Database, story_id: str, deck_id: str, question_id: str, now: datetime) -> bool:
    """Link the story to the question, or unlink it if linked; True when it is now linked."""
    ref = f"{deck_id}/{question_id}"
    if story_id in table.stories_for(db, deck_id, question_id):
        edit_story(db, story_id, now, unlink=[ref])
        return False
    edit_story(db, story_id, now, link=[ref])
    return True
