"""A modal editor for the user's answer to a question (saved by the caller)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from drill.study.stories import StoryChoice
from drill.tui.text import clean, plain


class AnswerEditor(ModalScreen[str | None]):
    """Edit an answer in a TextArea; dismisses with the text (ctrl+s) or None (escape).

    `guide` (the question's approach, to rewrite an answer from it) is shown above the text.
    With `stories`, ctrl+o starts the answer from one of them: its text replaces an empty
    answer, or is added below what is there.
    """

    TITLE = "Edit answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save as a new version of your answer"),
        Binding("ctrl+o", "from_story", "From a story", tooltip="Start from one of your stories"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        question: str,
        text: str = "",
        *,
        blink: bool = True,
        guide: str = "",
        stories: list[StoryChoice] | None = None,
    ) -> None:
        super().__init__()
        self._blink = blink
        self._question = question
        self._text = text
        self._guide = guide
        self._stories = stories or []

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield Static(plain(self._question), id="editor-question")
            if self._guide.strip():
                yield Static(plain("Approach: " + " ".join(self._guide.split())), id="editor-guide")
            yield TextArea(
                clean(self._text),
                id="editor",
                soft_wrap=True,
                placeholder="Write your answer as you would say it.",
            )
            help_text = "ctrl+s save · escape cancel · every save keeps the old versions"
            if self._stories:
                help_text = "ctrl+s save · ctrl+o from a story · escape cancel"
            yield Static(Content(help_text), id="editor-help")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#editor-box").border_title = "Your answer"
        editor = self.query_one(TextArea)
        editor.cursor_blink = self._blink
        editor.focus()
        editor.move_cursor(editor.document.end)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "from_story":
            return bool(self._stories)
        return True

    def action_from_story(self) -> None:
        from drill.tui.screens.story_picker import StoryPicker

        def chosen(story_id: str | None) -> None:
            choice = next((c for c in self._stories if c.story.id == story_id), None)
            if choice is None:
                return
            editor = self.query_one(TextArea)
            current = editor.text.strip()
            story = clean(choice.story.text)
            editor.text = story if not current else f"{current}\n\n{story}"
            editor.move_cursor(editor.document.end)
            editor.focus()

        self.app.push_screen(
            StoryPicker(
                "Start from a story",
                self._stories,
                hint="Its text goes into your answer; shape it to this question.",
            ),
            chosen,
        )

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
