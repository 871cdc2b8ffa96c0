"""Every key of every screen, the current screen first."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

_KEY_NAMES = {
    "space": "space",
    "enter": "enter",
    "escape": "esc",
    "question_mark": "?",
    "slash": "/",
}

GLOBAL_KEYS = [
    ("?", "This help (from any screen)"),
    ("tab/shift+tab", "Move between examples, buttons and tables; enter opens an example"),
    ("up/down/pgup/pgdn", "Scroll long cards and pages"),
    ("ctrl+p", "Command palette: themes (dark, light, …), keys, quit"),
    ("ctrl+q", "Quit drill at once"),
]


def key_label(keys: str) -> str:
    """ "space,enter" -> "space/enter"; key names as people know them."""
    return "/".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        rows.append((key_label(binding.key), binding.tooltip or binding.description))
    return rows


def screens() -> list[tuple[str, type[Screen[Any]]]]:
    """The screens whose keys the help lists, in the order a user meets them."""
    from drill.tui.screens.answer_editor import AnswerEditor
    from drill.tui.screens.browse import BrowseScreen
    from drill.tui.screens.confirm import ConfirmScreen
    from drill.tui.screens.home import HomeScreen
    from drill.tui.screens.leech_help import LeechHelp
    from drill.tui.screens.mock import MockScreen
    from drill.tui.screens.mock_review import MockReviewScreen
    from drill.tui.screens.question import QuestionScreen
    from drill.tui.screens.review import ReviewScreen
    from drill.tui.screens.stats import StatsScreen
    from drill.tui.screens.stories import StoriesScreen
    from drill.tui.screens.story_picker import StoryPicker
    from drill.tui.screens.summary import SummaryScreen

    return [
        ("Home", HomeScreen),
        ("Review", ReviewScreen),
        ("Session summary", SummaryScreen),
        ("Browse", BrowseScreen),
        ("Question", QuestionScreen),
        ("Stats", StatsScreen),
        ("Story bank", StoriesScreen),
        ("Mock interview", MockScreen),
        ("Mock review", MockReviewScreen),
        ("Answer editor", AnswerEditor),
        ("Your stories", StoryPicker),
        ("Leech", LeechHelp),
        ("Confirm", ConfirmScreen),
    ]


class HelpScreen(ModalScreen[None]):
    """A scrolling list of keys by screen; escape, q or ? closes it."""

    TITLE = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", key_display="esc")
    ]

    def __init__(self, current: type[Screen[Any]] | None = None) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", can_focus=True):
            yield Static(self._content(), id="help-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = "Keys"
        box.border_subtitle = "esc to close"
        box.focus()

    def _content(self) -> Content:
        listed = screens()
        listed.sort(key=lambda item: item[1] is not self._current)
        parts: list[Content] = []
        for title, screen in listed:
            here = "  (this screen)" if screen is self._current else ""
            parts.append(Content.assemble((title, "bold $text-accent"), (here, "$text-muted")))
            parts += [self._row(key, text) for key, text in binding_rows(list(screen.BINDINGS))]
            parts.append(Content(""))
        parts.append(Content("Everywhere").stylize("bold $text-accent"))
        parts += [self._row(key, text) for key, text in GLOBAL_KEYS]
        parts += [
            Content(""),
            Content("The mouse works too: click decks, buttons, examples and table rows.").stylize(
                "$text-muted"
            ),
        ]
        return Content("\n").join(parts)

    @staticmethod
    def _row(key: str, text: str) -> Content:
        return Content.assemble((f"  {key:<18}", "bold"), text)

    def action_close(self) -> None:
        self.dismiss(None)
