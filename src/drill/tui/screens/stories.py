"""Stories: the story bank and what it covers. Each story with the questions it answers and
the competencies it shows; the highlighted story's text and the questions it could answer;
then the coverage (competencies the questions probe × stories), the gaps and the stories told
too often. Stories are written and edited with `drill story` (docs/answer-coach.md).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from drill.study import stories
from drill.study.stories import Coverage, Story, StoryDetail
from drill.tui.context import Context
from drill.tui.guard import guarded
from drill.tui.text import cell, clean, number, plain
from drill.tui.widgets.card_view import section

# How much of a story its detail shows: enough to recognise it, not to read it here.
STORY_CHARS = 280


def _short(text: str, limit: int = STORY_CHARS) -> str:
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


class StoriesScreen(Screen[None]):
    """The story bank: up/down picks a story, its detail follows; the coverage below."""

    TITLE = "Stories"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", key_display="esc", tooltip="Back to the home screen"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._stories: list[Story] = []
        self._built_width = 0

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("drill", "bold"), "  stories · your story bank"), id="stories-title"
        )
        with VerticalScroll(id="stories-scroll"):
            yield DataTable(id="stories-table", cursor_type="row")
            yield Vertical(id="story-detail")
            yield section("Coverage")
            yield Static(id="coverage-note")
            yield DataTable(id="coverage-table", cursor_type="none")
            yield Static(id="coverage-gaps")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._load()
        self.query_one("#stories-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self._load()  # back from elsewhere: links may have changed (l on a card's back)

    def _load(self) -> None:
        db = self.ctx.db
        self._stories = guarded(self, lambda: stories.stories(db)) or []
        found = guarded(self, lambda: stories.coverage(db))
        self._fill_stories(found)
        if found is not None:
            self._fill_coverage(found)
        self._show_detail()

    def _fill_stories(self, found: Coverage | None) -> None:
        table = self.query_one("#stories-table", DataTable)
        table.clear(columns=True)
        shows = {use.story.id: use.shows for use in found.stories} if found else {}
        questions = {use.story.id: use.questions for use in found.stories} if found else {}
        table.add_column("#", width=2, key="n")
        table.add_column("Story", width=24, key="story")
        table.add_column(Text("Qs", justify="right"), width=3, key="qs")
        self._built_width = self._shows_width()
        table.add_column("Shows", width=self._built_width, key="shows")
        for position, story in enumerate(self._stories, 1):
            table.add_row(
                Text(str(position), style="dim", justify="right"),
                cell(story.title),
                number(questions.get(story.id, 0)),
                cell(", ".join(shows.get(story.id, ())) or "no competencies yet", ""),
                key=story.id,
            )
        table.display = bool(self._stories)

    def _fill_coverage(self, found: Coverage) -> None:
        table = self.query_one("#coverage-table", DataTable)
        table.clear(columns=True)
        note = self.query_one("#coverage-note", Static)
        note.update(
            Content(
                "What your decks' behavioral questions probe (Qs: how many ask for it), and "
                "which story shows each: its own competencies and those of the questions it "
                "answers."
            )
        )
        table.add_column("Competency", width=16, key="competency")
        table.add_column(Text("Qs", justify="right"), width=3, key="qs")
        for position, _ in enumerate(found.stories, 1):
            table.add_column(Text(str(position), justify="center"), width=3, key=f"s{position}")
        for row in found.rows:
            marks = [
                Text("✓", style="bold green", justify="center")
                if use.story.id in row.stories
                else Text("·", style="dim", justify="center")
                for use in found.stories
            ]
            style = "" if row.stories else "bold"
            table.add_row(cell(row.competency, style), number(row.questions), *marks)
        lines: list[Content] = []
        if found.gaps:
            lines.append(
                Content.assemble(("No story yet: ", "bold $text-warning"), ", ".join(found.gaps))
            )
        else:
            lines.append(Content.styled("Every competency has a story.", "$text-success"))
        for use in found.overused:
            lines.append(
                Content.assemble(
                    ("Told often: ", "bold $text-warning"),
                    clean(use.story.title),
                    f" answers {use.questions} questions; an interviewer may hear it twice.",
                )
            )
        if not self._stories:
            lines.append(
                Content.styled(
                    'No stories yet. Write your first: drill story add "TITLE" --edit',
                    "$text-muted",
                )
            )
        self.query_one("#coverage-gaps", Static).update(Content("\n").join(lines))

    @property
    def selected(self) -> Story | None:
        table = self.query_one("#stories-table", DataTable)
        row = table.cursor_row
        if not self._stories or row < 0 or row >= len(self._stories):
            return None
        return self._stories[row]

    def _show_detail(self) -> None:
        box = self.query_one("#story-detail", Vertical)
        box.remove_children()
        story = self.selected
        found: StoryDetail | None = (
            guarded(self, lambda: stories.detail(self.ctx.db, story.id)) if story else None
        )
        box.display = found is not None
        if story is None or found is None:
            return
        parts: list[Static] = [
            Static(Content.styled(clean(story.title), "bold")),
            Static(Content.styled(_short(story.text), "italic")),
        ]
        if found.linked:
            parts.append(Static(Content.styled("Answers:", "$text-muted")))
            parts += [Static(plain(q.question), classes="story-item") for q in found.linked]
        else:
            parts.append(Static(Content.styled("Linked to no question yet.", "$text-muted")))
        if found.suggestions:
            parts.append(Static(Content.styled("Could also answer:", "$text-muted")))
            parts += [
                Static(
                    Content.assemble(
                        clean(s.question.question), (f" ({', '.join(s.because)})", "dim")
                    ),
                    classes="story-item",
                )
                for s in found.suggestions[:3]
            ]
            parts.append(
                Static(
                    Content.styled(
                        "Link one with l on its card's back, or: drill story edit "
                        f"{clean(story.id)} --link DECK/QUESTION",
                        "$text-muted",
                    )
                )
            )
        box.mount_all(parts)

    def on_resize(self, _: events.Resize) -> None:
        if self._shows_width() != self._built_width:
            self._load()

    def _shows_width(self) -> int:
        # "#", "Story" and "Qs" columns, cell padding, the table's margins and a scrollbar.
        return max(12, self.size.width - (2 + 24 + 3) - 2 * 4 - 2 - 2)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "stories-table":
            self._show_detail()

    def action_back(self) -> None:
        self.app.pop_screen()
