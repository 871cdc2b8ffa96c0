"""What the coach offers for a question the user keeps failing, from any screen: rewrite the
answer starting from the approach, link a story, or practise it now in a one-question mock.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any

from textual.screen import Screen

from drill.study import answers, mock, stories
from drill.study.answers import STAR_TEMPLATE
from drill.tui.context import Context
from drill.tui.guard import guarded

Done = Callable[[], Awaitable[None] | None]


async def _call(done: Done | None) -> None:
    if done is not None:
        result = done()
        if result is not None:
            await result


def practise(screen: Screen[Any], ctx: Context, deck_id: str, question_id: str) -> None:
    """A mock interview of this one question, timed as mocks are."""
    from drill.tui.screens.mock import MockScreen

    questions = guarded(
        screen,
        lambda: mock.chosen_questions(
            ctx.db, ctx.now(), [(deck_id, question_id)], rng=random.Random()
        ),
    )
    if not questions:
        return
    plan = mock.MockPlan(questions, None, mock.follow_ups_on(ctx.db))
    speaker = getattr(screen.app, "speaker", None)
    screen.app.push_screen(MockScreen(ctx, plan, speaker=speaker, standalone=False))


def link_story(
    screen: Screen[Any], ctx: Context, deck_id: str, question_id: str, done: Done | None = None
) -> None:
    """Pick a story to link to the question (or unlink one that is linked)."""
    from drill.tui.screens.story_picker import StoryPicker

    choices = stories.choices_for_question(ctx.db, deck_id, question_id)

    async def chosen(story_id: str | None) -> None:
        if story_id is None:
            return
        linked = guarded(
            screen,
            lambda: stories.toggle_link(ctx.db, story_id, deck_id, question_id, ctx.now()),
        )
        if linked is None:
            return
        screen.notify("Story linked." if linked else "Story unlinked.", timeout=2)
        await _call(done)

    screen.app.push_screen(
        StoryPicker(
            "Link a story",
            choices,
            hint="enter links a story to this question (or unlinks a linked one).",
        ),
        chosen,
    )


def start_rewrite(
    screen: Screen[Any],
    ctx: Context,
    deck_id: str,
    question_id: str,
    *,
    question: str,
    approach: str,
    done: Done | None = None,
) -> None:
    """The answer editor with the approach as its guide, starting from a STAR outline."""
    from drill.tui.screens.answer_editor import AnswerEditor

    async def saved(text: str | None) -> None:
        if text is None:
            return
        stored = guarded(
            screen,
            lambda: answers.save_answer(ctx.db, deck_id, question_id, text, "editor", ctx.now()),
        )
        if stored:
            screen.notify("Answer saved.", timeout=2)
            await _call(done)

    screen.app.push_screen(
        AnswerEditor(
            question,
            STAR_TEMPLATE,
            blink=ctx.live,
            guide=approach,
            stories=stories.choices_for_question(ctx.db, deck_id, question_id),
        ),
        saved,
    )


def leech_help(
    screen: Screen[Any],
    ctx: Context,
    deck_id: str,
    question_id: str,
    *,
    lapses: int,
    done: Done | None = None,
) -> None:
    """Offer the three ways out of a leech, and take the one chosen."""
    from drill.progress.insights import question_for
    from drill.tui.screens.leech_help import LeechHelp

    question = guarded(screen, lambda: question_for(ctx.db, deck_id, question_id))
    if question is None:
        return

    def chosen(choice: str | None) -> None:
        if choice == "rewrite":
            start_rewrite(
                screen,
                ctx,
                deck_id,
                question_id,
                question=question.question,
                approach=question.approach,
                done=done,
            )
        elif choice == "story":
            link_story(screen, ctx, deck_id, question_id, done)
        elif choice == "practise":
            practise(screen, ctx, deck_id, question_id)

    screen.app.push_screen(LeechHelp(question.question, lapses), chosen)
