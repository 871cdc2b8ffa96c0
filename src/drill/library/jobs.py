"""Job targets: a posting, the questions for its interview, its gaps and how ready you are.

`add_job` reads a posting, ranks every question drill knows against it (the collection's
decks and the bundled role packs not yet installed), picks the job's question set (the
best question for each requirement, then the highest scores, plus the universal openers),
installs the packs the set needs, and stores the job. The analysis (requirements, terms,
ranking, gaps) is recomputed from the stored posting whenever a job is shown, so it
follows the collection: import the gaps deck and its gaps close.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from drill.core import clock
from drill.core.gaps import gap_deck
from drill.core.model import Deck
from drill.core.posting import Posting
from drill.core.ranking import Candidate, Ranking, RequirementMatch, Scored, rank
from drill.core.sanitize import strip_control_chars
from drill.core.terms import Term, TermUse, extract_terms, term_use
from drill.errors import DrillError, Missing
from drill.io.postings import load_background, parse_posting
from drill.library import bundled
from drill.storage import jobs as store
from drill.storage import repo
from drill.storage.backup import backup_before, database_path
from drill.storage.sqlite import write_transaction
from drill.study.session import ReviewSession

if TYPE_CHECKING:
    from drill.storage.sqlite import Database

DEFAULT_SIZE = 20
MIN_SIZE = 5
MAX_SIZE = 60
# Terms a person is shown (and answers are checked against); the ranking uses them all.
KEY_TERMS = 12
TITLE_LIMIT = 100
# Asked in almost every interview, whatever the job: always in the set when installed.
OPENERS: tuple[tuple[str, str], ...] = (
    ("about-you", "tell-me-about-yourself"),
    ("fit-and-why-us", "why-this-company"),
    ("fit-and-why-us", "why-this-role"),
    ("questions-to-ask-the-interviewer", "ask-the-manager"),
)
OPENER_REASON = "asked in almost every interview"
# A ranked question scoring under this share of the best one is noise, not a match: the set
# is better smaller (the gaps then say what is missing).
SET_FLOOR = 0.1
# A role pack is installed for a job only when the set takes at least this many of its
# questions.
MIN_PACK_QUESTIONS = 3


class JobError(DrillError):
    """A job command that cannot be done; nothing was changed."""


class UnknownJob(JobError, Missing):
    """No job with this id (or not any more: another drill removed it)."""


# -- what a job looks like to the shells --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Readiness:
    """How ready the set is: questions rehearsed (their rehearse card reviewed at least
    once), answers written, and the key terms the latest answers use between them.
    """

    questions: int
    rehearsed: int
    answered: int
    terms: int
    terms_covered: int
    never_mentioned: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "rehearsed": self.rehearsed,
            "answered": self.answered,
            "terms": self.terms,
            "terms_covered": self.terms_covered,
            "never_mentioned": list(self.never_mentioned),
        }


@dataclass(frozen=True, slots=True)
class SetQuestion:
    """A question of the job's set, why it is there, and how far you are with it."""

    deck_id: str
    deck_name: str
    question_id: str
    question: str
    origin: str  # ranked, opener or added
    score: float | None
    reason: str
    reps: int
    answered: bool
    term_use: TermUse | None  # the question's terms in your latest answer (None: no answer)

    @property
    def ref(self) -> str:
        return f"{self.deck_id}/{self.question_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question": self.question,
            "origin": self.origin,
            "score": None if self.score is None else round(self.score, 3),
            "reason": self.reason,
            "installed": True,
            "rehearsed": self.reps > 0,
            "answered": self.answered,
            "terms": None if self.term_use is None else self.term_use.to_json(),
        }


@dataclass(frozen=True, slots=True)
class JobSummary:
    id: int
    title: str
    company: str
    interview: date | None
    days_left: int | None  # study days until the interview; None without one or after it
    questions: int
    readiness: Readiness

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "company": self.company,
            "interview": self.interview.isoformat() if self.interview else None,
            "days_left": self.days_left,
            "question_count": self.questions,
            "readiness": self.readiness.to_json(),
        }


@dataclass(frozen=True, slots=True)
class JobDetail:
    """Everything `drill job show` says about a job."""

    summary: JobSummary
    size: int
    terms: tuple[Term, ...]
    requirements: tuple[RequirementMatch, ...]
    questions: tuple[SetQuestion, ...]
    suggestions: tuple[Scored, ...]  # well-ranked questions not in the set
    packs_installed: tuple[str, ...] = field(default=())

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def gaps(self) -> tuple[RequirementMatch, ...]:
        return tuple(match for match in self.requirements if match.gap)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "size": self.size,
            "requirements": [match.to_json() for match in self.requirements],
            "terms": [term.to_json() for term in self.terms[:KEY_TERMS]],
            "questions": [question.to_json() for question in self.questions],
            "gaps": [
                {
                    "text": match.requirement.text,
                    "section": match.requirement.section,
                    "terms": list(match.terms),
                }
                for match in self.gaps
            ],
            "packs_installed": list(self.packs_installed),
        }


@dataclass(frozen=True, slots=True)
class JobScope:
    """A job's set as the study queue takes it: question ids by deck, and the interview."""

    job_id: int
    title: str
    members: dict[str, frozenset[str]]
    interview: date | None

    @property
    def questions(self) -> int:
        return sum(len(ids) for ids in self.members.values())


# -- the analysis -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Analysis:
    posting: Posting
    terms: tuple[Term, ...]
    ranking: Ranking
    candidates: dict[str, Candidate]  # by "deck/question"


def _analyse(db: Database, posting_text: str, name: str, company: str = "") -> _Analysis:
    posting = parse_posting(posting_text, name)
    terms = tuple(extract_terms(posting, load_background(), company))
    candidates = collect_candidates(db)
    ranking = rank(posting, terms, candidates)
    by_ref = {f"{c.deck_id}/{c.question.id}": c for c in candidates}
    return _Analysis(posting, terms, ranking, by_ref)


def collect_candidates(db: Database) -> list[Candidate]:
    """Every question drill knows: the collection's (paused or not), then those of the
    bundled role packs not installed yet. drill's general decks are universal: asked in some
    form in every interview.

    A collection without any of drill's decks is one of your own decks only (DRILL_NO_BUNDLED):
    no pack is offered to it. The collection's questions hold only what the ranking reads
    (`repo.iter_questions_for_ranking`); the packs' are shared, read-only.
    """
    infos = {info.id: info for info in repo.decks(db)}
    with_packs = any(info.source == bundled.SOURCE for info in infos.values())
    packs = bundled.pack_decks() if with_packs else ()
    pack_ids = {deck.id for deck in packs}
    out = [
        Candidate(
            deck_id,
            infos[deck_id].name if deck_id in infos else deck_id,
            question,
            installed=True,
            universal=deck_id in infos
            and infos[deck_id].source == bundled.SOURCE
            and deck_id not in pack_ids,
        )
        for deck_id, question in repo.iter_questions_for_ranking(db)
    ]
    for deck in packs:
        if deck.id in infos:
            continue
        out.extend(Candidate(deck.id, deck.name, q, installed=False) for q in deck.questions)
    return out


def _install_packs(db: Database, deck_ids: Sequence[str], now: datetime) -> None:
    """Install bundled role packs, as `drill decks add` does (inside the caller's
    transaction, so a failure leaves nothing).
    """
    if deck_ids:
        bundled.add_bundled(db, list(deck_ids), now)


# -- choosing the set --------------------------------------------------------------------------


def _openers(candidates: dict[str, Candidate]) -> list[Candidate]:
    return [
        candidates[f"{deck}/{qid}"]
        for deck, qid in OPENERS
        if f"{deck}/{qid}" in candidates and candidates[f"{deck}/{qid}"].installed
    ]


def _select(
    analysis: _Analysis,
    size: int,
    keep: Sequence[store.JobQuestionRow] = (),
) -> list[store.JobQuestionRow]:
    """The job's question rows (see `_choose`), without a role pack that would be installed
    for fewer than MIN_PACK_QUESTIONS of them: a whole pack in your daily reviews for one
    question is not worth it, and a question of your decks takes its place.
    """
    rows = _choose(analysis, size, keep, frozenset())
    per_pack: dict[str, int] = {}
    for row in rows:
        candidate = analysis.candidates.get(f"{row.deck_id}/{row.question_id}")
        if row.origin == "ranked" and candidate is not None and not candidate.installed:
            per_pack[row.deck_id] = per_pack.get(row.deck_id, 0) + 1
    few = frozenset(deck for deck, count in per_pack.items() if count < MIN_PACK_QUESTIONS)
    return _choose(analysis, size, keep, few) if few else rows


def _choose(
    analysis: _Analysis,
    size: int,
    keep: Sequence[store.JobQuestionRow],
    left_out: frozenset[str],
) -> list[store.JobQuestionRow]:
    """The job's question rows: the openers, the best question of each requirement (the
    most stressed requirements first), then the highest scores, up to `size` ranked ones;
    questions added or removed by hand stay as they are; decks in `left_out` are skipped.
    """
    added = [row for row in keep if row.origin == "added"]
    removed = [row for row in keep if row.origin == "removed"]
    by_hand = {f"{r.deck_id}/{r.question_id}" for r in [*added, *removed]}
    openers = [
        c for c in _openers(analysis.candidates) if f"{c.deck_id}/{c.question.id}" not in by_hand
    ]
    taken = by_hand | {f"{c.deck_id}/{c.question.id}" for c in openers}
    chosen: list[Scored] = []

    ranked = analysis.ranking.questions
    floor = SET_FLOOR * ranked[0].score if ranked else 0.0

    def take(scored: Scored) -> None:
        if scored.deck_id in left_out:
            return
        if scored.ref not in taken and len(chosen) < size and scored.score >= floor:
            taken.add(scored.ref)
            chosen.append(scored)

    weight = {term.text: term.score for term in analysis.terms}
    stressed = sorted(
        (m for m in analysis.ranking.requirements if m.best and not m.gap),
        key=lambda m: -sum(weight.get(t, 0.0) for t in m.terms),
    )
    for match in stressed:
        best = next(
            (s for s in match.best if s.ref not in taken and s.deck_id not in left_out), None
        )
        if best is not None:
            # Ranked scores, not the requirement's coverage, are what the set shows.
            full = next((s for s in analysis.ranking.questions if s.ref == best.ref), best)
            take(full)
    for scored in analysis.ranking.questions:
        take(scored)
    chosen.sort(key=lambda s: -s.score)
    rows: list[store.JobQuestionRow] = []
    for candidate in openers:
        rows.append(
            store.JobQuestionRow(
                candidate.deck_id, candidate.question.id, "opener", len(rows), None, OPENER_REASON
            )
        )
    for scored in chosen:
        rows.append(
            store.JobQuestionRow(
                scored.deck_id, scored.question_id, "ranked", len(rows), scored.score, scored.reason
            )
        )
    for row in added:
        rows.append(
            store.JobQuestionRow(row.deck_id, row.question_id, "added", len(rows), None, row.reason)
        )
    for row in removed:
        rows.append(
            store.JobQuestionRow(row.deck_id, row.question_id, "removed", len(rows), None, "")
        )
    return rows


def _packs_needed(
    rows: Iterable[store.JobQuestionRow], candidates: dict[str, Candidate]
) -> list[str]:
    """The role packs (not yet installed) that the set's questions come from."""
    needed: list[str] = []
    for row in rows:
        candidate = candidates.get(f"{row.deck_id}/{row.question_id}")
        if row.origin == "removed" or candidate is None or candidate.installed:
            continue
        if candidate.deck_id not in needed:
            needed.append(candidate.deck_id)
    return needed


# -- commands ------------------------------------------------------------------------------------


def _clean(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(strip_control_chars(text).split())
    if len(cleaned) > TITLE_LIMIT:
        raise JobError(f"the {what} is over {TITLE_LIMIT} characters")
    return cleaned


def check_size(size: int) -> int:
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise JobError(f"the set size must be {MIN_SIZE} to {MAX_SIZE} questions (not {size})")
    return size


def check_interview(db: Database, interview: date | None, now: datetime) -> date | None:
    """An interview date that is not in the past (today is fine)."""
    if interview is None:
        return None
    today = clock.study_date(now, repo.collection_config(db).day_starts_at)
    if interview < today:
        raise JobError(
            f"the interview date {interview.isoformat()} is in the past (today is "
            f"{today.isoformat()})"
        )
    return interview


def add_job(
    db: Database,
    posting_text: str,
    now: datetime,
    *,
    name: str = "posting",
    title: str | None = None,
    company: str | None = None,
    interview: date | None = None,
    size: int = DEFAULT_SIZE,
) -> JobDetail:
    """Analyse a posting and store it as a job with its question set, installing the role
    packs the set needs; all in one transaction (nothing is stored on any error).
    """
    check_size(size)
    title = _clean(title, "title")
    company = _clean(company, "company")
    check_interview(db, interview, now)
    analysis = _analyse(db, posting_text, name, company or "")
    rows = _select(analysis, size)
    packs = _packs_needed(rows, analysis.candidates)
    with write_transaction(db):
        _install_packs(db, packs, now)
        job_id = store.insert_job(
            db,
            title=title or analysis.posting.title or "Untitled job",
            company=company if company is not None else analysis.posting.company,
            interview=interview,
            posting=analysis.posting.text,
            size=size,
            now_ms=clock.to_ms(now),
        )
        store.replace_questions(db, job_id, rows)
    detail = show_job(db, job_id, now)
    return _with_packs(detail, packs)


def _with_packs(detail: JobDetail, packs: Sequence[str]) -> JobDetail:
    return JobDetail(
        detail.summary,
        detail.size,
        detail.terms,
        detail.requirements,
        detail.questions,
        detail.suggestions,
        tuple(packs),
    )


def get_job(db: Database, job_id: int) -> store.JobRow:
    job = store.get_job(db, job_id)
    if job is None:
        ids = store.job_ids(db)
        hint = (
            f" (jobs: {', '.join(map(str, ids))})"
            if ids
            else " (no jobs yet: drill job add POSTING-FILE)"
        )
        raise UnknownJob(f"no job {job_id}{hint}")
    return job


def days_left(db: Database, interview: date | None, now: datetime) -> int | None:
    if interview is None:
        return None
    today = clock.study_date(now, repo.collection_config(db).day_starts_at)
    left = (interview - today).days
    return left if left >= 0 else None


def _question_terms(
    scored: Scored | None, terms: Sequence[Term], key: Sequence[Term]
) -> list[Term]:
    """The terms an answer to this question should use: those that linked it to the
    posting, else (an opener, a question added by hand) the posting's first key terms.
    """
    if scored is not None and scored.terms:
        by_name = {term.text: term for term in terms}
        return [by_name[name] for name in scored.terms if name in by_name]
    return list(key[:3])


def _readiness(progress: Sequence[store.QuestionProgress], key: Sequence[Term]) -> Readiness:
    answers = [p.answer for p in progress if p.answer]
    covered: list[str] = []
    missing: list[str] = []
    for term in key:
        if any(term_use([term], text).used for text in answers):
            covered.append(term.text)
        else:
            missing.append(term.text)
    return Readiness(
        len(progress),
        sum(1 for p in progress if p.reps > 0),
        len(answers),
        len(key),
        len(covered),
        tuple(missing) if answers else (),
    )


def summarise(db: Database, job: store.JobRow, now: datetime) -> JobSummary:
    """A job's countdown and readiness, without ranking anything."""
    posting = parse_posting(job.posting, f"job {job.id}")
    terms = extract_terms(posting, load_background(), job.company)
    progress = store.progress(db, job.id)
    return JobSummary(
        job.id,
        job.title,
        job.company,
        job.interview,
        days_left(db, job.interview, now),
        len(progress),
        _readiness(progress, terms[:KEY_TERMS]),
    )


def list_jobs(db: Database, now: datetime) -> list[JobSummary]:
    return [summarise(db, job, now) for job in store.list_jobs(db)]


def show_job(db: Database, job_id: int, now: datetime) -> JobDetail:
    job = get_job(db, job_id)
    analysis = _analyse(db, job.posting, f"job {job.id}", job.company)
    key = analysis.terms[:KEY_TERMS]
    progress = {(p.deck_id, p.question_id): p for p in store.progress(db, job.id)}
    ranked = {s.ref: s for s in analysis.ranking.questions}
    names = {info.id: info.name for info in repo.decks(db)}
    questions = []
    for row in store.job_questions(db, job.id):
        question = repo.get_question(db, row.deck_id, row.question_id)
        if question is None:
            continue
        state = progress.get((row.deck_id, row.question_id))
        answer = state.answer if state else None
        wanted = _question_terms(
            ranked.get(f"{row.deck_id}/{row.question_id}"), analysis.terms, key
        )
        questions.append(
            SetQuestion(
                row.deck_id,
                names.get(row.deck_id, row.deck_id),
                row.question_id,
                question.question,
                row.origin,
                row.score,
                row.reason,
                state.reps if state else 0,
                bool(answer),
                term_use(wanted, answer) if answer else None,
            )
        )
    in_set = {q.ref for q in questions} | {
        f"{r.deck_id}/{r.question_id}" for r in store.job_questions(db, job.id, with_removed=True)
    }
    suggestions = tuple(s for s in analysis.ranking.questions if s.ref not in in_set)[:10]
    summary = JobSummary(
        job.id,
        job.title,
        job.company,
        job.interview,
        days_left(db, job.interview, now),
        len(questions),
        _readiness(list(progress.values()), key),
    )
    return JobDetail(
        summary,
        job.size,
        analysis.terms,
        analysis.ranking.requirements,
        tuple(questions),
        suggestions,
    )


_UNSET: Any = object()


def edit_job(
    db: Database,
    job_id: int,
    now: datetime,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    size: int | None = None,
    refresh: bool = False,
    title: str | None = None,
    company: str | None = None,
    interview: date | Any | None = _UNSET,
) -> JobDetail:
    """Change a job: add or remove questions (DECK/QUESTION), choose a new set size or
    re-rank against the current collection (`refresh`), or change its title, company or
    interview date. One transaction; nothing changes on any error.
    """
    job = get_job(db, job_id)
    if size is not None:
        check_size(size)
    title = _clean(title, "title")
    company = _clean(company, "company")
    if title is not None and not title:
        raise JobError("the title cannot be empty")
    if interview is not _UNSET:
        check_interview(db, interview, now)
    rows = store.job_questions(db, job.id, with_removed=True)
    packs: list[str] = []
    if add or remove or size is not None or refresh:
        analysis = _analyse(db, job.posting, f"job {job.id}", job.company)
        rows = _edited(rows, add, remove, analysis.candidates)
        if size is not None or refresh:
            rows = _select(analysis, size or job.size, rows)
        packs = _packs_needed(rows, analysis.candidates)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title
    if company is not None:
        changes["company"] = company
    if interview is not _UNSET:
        changes["interview"] = interview
    if size is not None:
        changes["size"] = size
    with write_transaction(db):
        _install_packs(db, packs, now)
        store.replace_questions(db, job.id, rows)
        store.update_job(db, job.id, clock.to_ms(now), **changes)
    return _with_packs(show_job(db, job.id, now), packs)


def _edited(
    rows: list[store.JobQuestionRow],
    add: Sequence[str],
    remove: Sequence[str],
    candidates: dict[str, Candidate],
) -> list[store.JobQuestionRow]:
    by_ref = {f"{r.deck_id}/{r.question_id}": r for r in rows}
    for ref in add:
        deck_id, question_id = _split_ref(ref, candidates)
        key = f"{deck_id}/{question_id}"
        current = by_ref.get(key)
        if current is not None and current.origin != "removed":
            raise JobError(f"{ref} is already in the job's set")
        by_ref[key] = store.JobQuestionRow(
            deck_id, question_id, "added", 10**6, None, "added by you"
        )
    for ref in remove:
        deck_id, question_id = _split_ref(ref, candidates)
        key = f"{deck_id}/{question_id}"
        current = by_ref.get(key)
        if current is None or current.origin == "removed":
            raise JobError(f"{ref} is not in the job's set (see: drill job show)")
        by_ref[key] = store.JobQuestionRow(deck_id, question_id, "removed", 10**6, None, "")
    ordered = sorted(by_ref.values(), key=lambda r: r.position)
    return [
        store.JobQuestionRow(r.deck_id, r.question_id, r.origin, i, r.score, r.reason)
        for i, r in enumerate(ordered)
    ]


def _split_ref(ref: str, candidates: dict[str, Candidate]) -> tuple[str, str]:
    deck_id, sep, question_id = ref.partition("/")
    if not sep or not deck_id or not question_id:
        raise JobError(f"'{ref}': use DECK/QUESTION, e.g. about-you/tell-me-about-yourself")
    if ref not in candidates:
        raise JobError(f"no question '{question_id}' in deck '{deck_id}' (see: drill job show)")
    return deck_id, question_id


def remove_job(db: Database, job_id: int, now: datetime) -> store.JobRow:
    """Delete a job (its questions and progress stay); a backup is made first."""
    job = get_job(db, job_id)
    # Rotated only once the job is gone: a failed removal never costs an older backup.
    with backup_before(db, database_path(db), "job-remove", now), write_transaction(db):
        store.delete_job(db, job.id)
    return job


def gaps_deck(db: Database, job_id: int, now: datetime) -> Deck:
    """A deck draft (the Markdown format) with a question for each of the job's gaps."""
    detail = show_job(db, job_id, now)
    tool_names = {term.text for term in detail.terms if term.kind == "tool"}
    gaps = [
        (
            match.requirement.text,
            list(match.terms),
            [name for name in match.terms if name in tool_names],
        )
        for match in detail.gaps
    ]
    if not gaps:
        raise JobError(f"job {job_id} has no gaps: every requirement has a question")
    return gap_deck(detail.summary.title, detail.summary.company, gaps)


def job_scope(db: Database, job_id: int) -> JobScope:
    """The job's set, for studying only it (`drill review --job`, `drill next --job`)."""
    job = get_job(db, job_id)
    members = {deck: frozenset(ids) for deck, ids in store.set_members(db, job.id).items()}
    return JobScope(job.id, job.title, members, job.interview)


def job_session(db: Database, job_id: int) -> ReviewSession:
    """A study session over the job's set, in deadline mode before its interview."""
    scope = job_scope(db, job_id)
    return ReviewSession(db, only=scope.members, interview=scope.interview)


def study_session(db: Database, deck_id: str | None, job_id: int | None) -> ReviewSession:
    """A session over a job's set, one deck, or every deck."""
    return job_session(db, job_id) if job_id is not None else ReviewSession(db, deck_id)


# -- for the answer coach -------------------------------------------------------------------------


def job_terms(db: Database, job_id: int) -> list[Term]:
    """The posting's key terms, most stressed first (at most KEY_TERMS)."""
    job = get_job(db, job_id)
    posting = parse_posting(job.posting, f"job {job.id}")
    return extract_terms(posting, load_background(), job.company)[:KEY_TERMS]


def terms_in_text(db: Database, job_id: int, text: str) -> TermUse:
    """Which of a job posting's key terms `text` uses and which it misses (in the order of
    how much the posting stresses them). For `drill insights --job` and the TUI.
    """
    return term_use(job_terms(db, job_id), text)
