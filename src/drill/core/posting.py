"""A job posting as drill reads it: its sections and the requirement lines in them.

`io/postings.py` builds a `Posting` from pasted text, Markdown or HTML; the ranking
(core/ranking.py) matches each requirement with questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SectionKind(StrEnum):
    """What a part of a posting is about, from its heading."""

    RESPONSIBILITIES = "responsibilities"  # what you'll do
    REQUIREMENTS = "requirements"  # what you bring
    NICE_TO_HAVE = "nice-to-have"
    COMPANY = "company"  # about us
    BENEFITS = "benefits"  # what we offer (never a requirement)
    PROCESS = "process"  # how to apply, equal-opportunity statements (never a requirement)
    OTHER = "other"  # the untitled start, or a heading drill does not know


# Sections whose lines are requirements; the others only lend words (the company's trade).
REQUIREMENT_KINDS = frozenset(
    {SectionKind.RESPONSIBILITIES, SectionKind.REQUIREMENTS, SectionKind.NICE_TO_HAVE}
)
# Sections whose words never describe the job.
IGNORED_KINDS = frozenset({SectionKind.BENEFITS, SectionKind.PROCESS})


@dataclass(frozen=True, slots=True)
class Requirement:
    """One line of what the job asks: a bullet, or a sentence of a paragraph."""

    text: str
    section: str  # the heading it appeared under ("" before any heading)
    kind: SectionKind

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "section": self.section, "kind": self.kind.value}


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the lines under it, as plain text (markup removed)."""

    heading: str
    kind: SectionKind
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Posting:
    """A parsed posting: the clean text kept for the record, what the title and company
    seem to be, its sections and its requirement lines (never empty).
    """

    text: str
    title: str
    company: str
    sections: tuple[Section, ...]
    requirements: tuple[Requirement, ...]

    def job_text(self) -> str:
        """The words that describe the job: the title and every section that is not
        benefits or process (terms are found here, not in the perks).
        """
        parts = [self.title]
        for section in self.sections:
            if section.kind not in IGNORED_KINDS:
                parts.append(section.heading)
                parts.extend(section.lines)
        return "\n".join(part for part in parts if part)
