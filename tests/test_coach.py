"""The answer coach, rule by rule: what a user would see the coach get right or wrong."""

from __future__ import annotations

import pytest

from drill.core.coach.dos import judgeable
from drill.core.coach.insights import JobTerms, analyse
from drill.core.coach.rubric import SelfCheck, self_check_rating
from drill.core.model import Question, Rating

STORY = (
    "Last spring I was the shift lead at a 40-bed ward, and handovers were running 30 minutes "
    "over. My job was to get them back under 15 minutes without missing anything. I timed ten "
    "handovers, wrote a one-page checklist and trained all twelve nurses on it over two weeks. "
    "Within a month handovers averaged 12 minutes and no incidents were missed. I learned to "
    "measure before changing anything."
)


def behavioral(**fields: object) -> Question:
    base: dict[str, object] = {
        "id": "q",
        "question": "Tell me about a time you improved a process.",
        "type": "behavioral",
    }
    base.update(fields)
    return Question(**base)  # type: ignore[arg-type]


def fillers_of(text: str) -> dict[str, int]:
    return {o.text: o.count for o in analyse(behavioral(), text).fillers}


def hedges_of(text: str) -> dict[str, int]:
    return {o.text: o.count for o in analyse(behavioral(), text).hedges}


# -- length ---------------------------------------------------------------------------------------


def test_length_uses_140_words_a_minute_and_the_type_target() -> None:
    text = " ".join(["word"] * 140)
    found = analyse(behavioral(), text)
    assert (found.words, found.speaking_seconds, found.target_seconds) == (140, 60, (60, 150))
    assert found.length == "ok"
    assert analyse(behavioral(), " ".join(["word"] * 100)).length == "short"
    assert analyse(behavioral(), " ".join(["word"] * 400)).length == "long"


def test_the_question_length_wins_over_the_type() -> None:
    found = analyse(behavioral(length=(20, 30)), " ".join(["word"] * 140))
    assert found.target_seconds == (20, 30)
    assert found.length == "long"


def test_a_question_without_type_gets_the_general_target() -> None:
    assert analyse(Question("q", "Anything?"), "Yes.").target_seconds == (45, 120)


# -- fillers and hedges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I like working with data.",
        "We would like a second opinion.",
        "It looked like a small thing.",
        "We built something like a queue.",
        "Like I said, it was close.",
        "It works like a database index.",
        "I feel like the plan was right.",  # a hedge, not a filler
        "I'd, um, like to lead a team.",  # the "um" counts, the verb does not
    ],
)
def test_like_as_a_word_is_not_a_filler(text: str) -> None:
    assert "like" not in fillers_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "There was, like, a whole backlog.",
        "We were behind, like three days behind.",
        "Like, I didn't know what to do.",
        "And like we had no idea.",
    ],
)
def test_like_as_a_pause_is_a_filler(text: str) -> None:
    assert fillers_of(text) == {"like": 1}


def test_so_counts_only_as_a_filler() -> None:
    assert fillers_of("So I was leading the team.") == {"so": 1}  # opens the answer
    text = "I moved the meeting so that everyone could come. The data was late. So I rebuilt it."
    assert fillers_of(text) == {}
    assert fillers_of("It went well, so, yeah, that's it.") == {"so": 1}
    assert fillers_of("Everyone thought so. It shipped.") == {}


def test_you_know_and_i_mean_only_as_parentheticals() -> None:
    assert fillers_of("It was, you know, tough.") == {"you know": 1}
    assert fillers_of("As you know, the role is new. Do you know how it works?") == {}
    assert fillers_of("I mean, it worked.") == {"i mean": 1}
    assert fillers_of("That is what I mean by ownership.") == {}


def test_pause_sounds_count_and_hospitals_do_not() -> None:
    assert fillers_of("Um, I think, uh, erm, it was fine.") == {"um": 2, "uh": 1}
    assert fillers_of("I worked in the ER for two years.") == {}


def test_hedges_in_context() -> None:
    assert hedges_of("I think we were late.") == {"i think": 1}
    assert hedges_of("I think about customers first. I thought it was fine.") == {}
    assert hedges_of("What kind of tool was it? It was kind of slow.") == {"kind of": 1}
    assert hedges_of("I guess it sort of worked, more or less.") == {
        "i guess": 1,
        "sort of": 1,
        "more or less": 1,
    }


def test_each_filler_says_where_it_is() -> None:
    found = analyse(behavioral(), "The launch was, like, chaos, and basically we slipped.")
    like = next(o for o in found.fillers if o.text == "like")
    start, end = like.spans[0]
    assert found.text[start:end] == "like"
    assert "was, like, chaos" in like.contexts[0]
    assert found.filler_count == 2


# -- STAR ----------------------------------------------------------------------------------------


def test_star_parts_come_with_their_sentences() -> None:
    found = analyse(behavioral(), STORY)
    star = found.star
    assert star.found == ["situation", "task", "action", "result"]
    assert star.situation.evidence.startswith("Last spring")
    assert star.task.evidence.startswith("My job was")
    assert star.action.evidence.startswith("I timed ten handovers")
    assert star.result.evidence.startswith("Within a month")
    assert star.learning.evidence.startswith("I learned")
    assert star.result_measured
    assert 0.2 < star.action_share < 0.6


def test_a_hedge_before_the_lesson_does_not_hide_it() -> None:
    text = "Last year I missed a deadline. I rebuilt the plan. I sort of learned to ask earlier."
    found = analyse(behavioral(), text)
    assert found.star.learning.evidence == "I sort of learned to ask earlier."
    assert [o.text for o in found.hedges] == ["sort of"]  # and it is still a hedge


def test_numbers_in_the_setting_are_not_a_measured_result() -> None:
    text = (
        "In 2019 I led a team of 12 with a budget of $2 million. I planned the launch and ran "
        "the vendor meetings. In the end it went fine and the client was happy."
    )
    star = analyse(behavioral(), text).star
    assert star.result.found
    assert not star.result_measured


def test_a_moment_is_not_a_measure_but_a_length_of_time_is() -> None:
    vague = analyse(behavioral(), "Last year I rebuilt the site. It went live late last year.")
    assert not vague.star.result_measured  # "last year" says when, not how late
    exact = analyse(behavioral(), "Last year I rebuilt the site. It went live nine days late.")
    assert exact.star.result_measured


def test_star_applies_to_behavioral_questions_and_old_decks_that_ask_for_a_time() -> None:
    assert analyse(behavioral(), STORY).star.applies
    assert not analyse(behavioral(type="motivation"), STORY).star.applies
    assert analyse(Question("q", "Tell me about a time you failed."), STORY).star.applies
    assert not analyse(Question("q", "Why this company?"), STORY).star.applies


# -- ownership and specifics ---------------------------------------------------------------------


def test_an_answer_that_never_says_what_i_did_is_flagged() -> None:
    text = "We planned the move. We ran both sites for a fortnight and we finished early."
    found = analyse(behavioral(), text)
    assert found.no_personal_action
    assert found.pronouns == (0, 3)
    mixed = "We planned the move. I wrote the plan and we finished early."
    assert not analyse(behavioral(), mixed).no_personal_action


def test_us_the_country_is_not_us() -> None:
    assert analyse(behavioral(), "We shipped to the US and they thanked us.").pronouns == (0, 2)


def test_specifics_and_vagueness() -> None:
    found = analyse(behavioral(), STORY)
    assert "30 minutes" in found.specifics.numbers
    assert "Last spring" in found.specifics.time_frames
    assert not found.specifics.vague
    vague = analyse(behavioral(), "I always work hard and I give 110 percent to the team.")
    assert vague.specifics.vague  # "give 110 percent" is an idiom, not a figure


# -- red flags and don'ts --------------------------------------------------------------------------

POLICY = behavioral(
    red_flags=[
        'Hides behind the rules ("policy is policy", "there was nothing I could do").',
        'Attacks a person ("my boss had no idea what he was doing").',
    ],
    donts=['Don\'t give reasons that fit any employer, like "great reputation".', "Don't ramble."],
)


def flags(text: str, question: Question = POLICY) -> list[str]:
    return [hit.evidence for hit in analyse(question, text).red_flags]


def test_a_red_flag_is_found_with_the_answers_own_words() -> None:
    found = analyse(POLICY, "I told her that policy is policy and moved on.")
    assert [(h.text, h.cue, h.evidence) for h in found.red_flags] == [
        ("Hides behind the rules", "policy is policy", "policy is policy")
    ]


def test_cues_match_across_tense_pronouns_synonyms_and_softeners() -> None:
    assert flags("Honestly, my manager had no idea what she was doing.") == [
        "my manager had no idea what she was doing"
    ]
    assert flags("There really was nothing I could do.") == ["There really was nothing I could do"]


def test_our_manager_is_my_manager_in_a_cue() -> None:
    question = behavioral(
        red_flags=['Escalates first ("I went straight to my manager about him").']
    )
    assert flags("So I went straight to our manager about him.", question) == [
        "I went straight to our manager about him"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't say 'policy is policy' to a customer.",
        "I never said policy is policy.",
        "Rather than saying policy is policy, I found an exception.",
        "My colleague said there was nothing I could do, but I called the supplier.",
        "If I had said policy is policy, we would have lost them.",
        'Phrases like "policy is policy" lose customers.',
        "My boss had no idea? No: he had every idea what he was doing.",
    ],
)
def test_denied_reported_or_hypothetical_cues_are_not_flags(text: str) -> None:
    assert flags(text) == []


def test_one_inserted_word_is_allowed_but_never_a_negation() -> None:
    question = behavioral(
        red_flags=['Claims a perfect record ("I\'ve never missed a deadline in my life").']
    )
    assert flags("I've never missed a deadline in my whole life.", question)
    assert flags("I've never missed a deadline in my working life.", question)
    assert not flags("I've never missed a deadline, not in my life.", question)


def test_a_dont_that_quotes_a_term_is_not_matched_on_the_term() -> None:
    question = behavioral(
        donts=[
            'Don\'t blame "the data" without saying what changed in it.',
            "Don't refuse on principle because it's \"just one customer\".",
        ]
    )
    found = analyse(question, "The data had shifted: one customer had changed their export.")
    assert found.donts == ()


def test_donts_match_only_cues_of_two_words_or_more() -> None:
    found = analyse(POLICY, "You have a great reputation and I am lazy sometimes.")
    assert [(h.text, h.evidence) for h in found.donts] == [
        ('Don\'t give reasons that fit any employer, like "great reputation"', "great reputation")
    ]


def test_blame_stands_in_only_where_the_deck_has_no_red_flags() -> None:
    text = "It wasn't my fault that we slipped: nobody told me the date had moved."
    old = analyse(Question("q", "Tell me about a team."), text)
    assert [h.key for h in old.red_flags] == ["blame"]
    # A question with red flags of its own decides what blame looks like for it.
    assert analyse(POLICY, text).red_flags == ()


def test_contempt_for_people_is_a_red_flag_on_every_question() -> None:
    # Behaviour changed deliberately: this used to be looked for only in decks without red
    # flags, so "my boss is useless" passed unremarked on every bundled question.
    text = "My coworkers were lazy, and it wasn't my fault that we slipped."
    old = analyse(Question("q", "Tell me about a team."), text)
    assert sorted(h.key for h in old.red_flags) == ["badmouth", "blame"]
    assert [(h.key, h.evidence) for h in analyse(POLICY, text).red_flags] == [
        ("badmouth", "My coworkers were lazy")
    ]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("My boss is useless, so I want out.", "My boss is useless"),
        (
            "My coworker was, like, totally useless, you know.",
            "My coworker was, like, totally useless",
        ),
        ("Honestly the client was a nightmare to work with.", "the client was a nightmare"),
        ("Everyone there was lazy.", "Everyone there was lazy"),
        ("He's clueless about sales.", "He's clueless"),
        ("The team lead was a complete joke.", "The team lead was a complete joke"),
        ("Our team was hopeless at estimates.", "Our team was hopeless"),
        ("Honestly, the data team was useless.", "the data team was useless"),
    ],
)
def test_contempt_is_found_with_the_answers_words(text: str, evidence: str) -> None:
    assert [h.evidence for h in analyse(POLICY, text).red_flags] == [evidence]


@pytest.mark.parametrize(
    "text",
    [
        "The customer was impossible to reach for a week.",  # a task, not a person
        "The project was a nightmare and the tools were useless.",  # things
        "They were useless.",  # "they" is as often things
        "I never thought my manager was useless.",
        "My colleague said the client was a nightmare.",
        "The others assumed he was lazy, but nobody had shown him the routine.",
        "If the team was lazy, I would have seen it in the numbers.",
        "My manager wasn't useless at all; she was stretched.",
    ],
)
def test_contempt_is_not_read_into_things_denials_or_other_voices(text: str) -> None:
    assert analyse(POLICY, text).red_flags == ()


def test_a_deck_flag_and_contempt_in_the_same_words_are_one_flag() -> None:
    question = behavioral(
        red_flags=['Runs down the current employer ("my manager is impossible").']
    )
    found = analyse(question, "My manager is impossible. My coworkers are lazy too.")
    assert [(h.index, h.key, h.evidence) for h in found.red_flags] == [
        (0, "", "My manager is impossible"),
        (None, "badmouth", "My coworkers are lazy"),
    ]
    # Another flag in the same sentence is its own finding.
    blame = behavioral(red_flags=['Blames others ("the client kept changing their mind").'])
    found = analyse(
        blame, "The client kept changing their mind and their project manager was useless."
    )
    assert [(h.index, h.evidence) for h in found.red_flags] == [
        (0, "The client kept changing their mind"),
        (None, "their project manager was useless"),
    ]


def test_evidence_never_carries_control_characters() -> None:
    found = analyse(POLICY, "Policy is \x1b[31mpolicy. policy is policy\x07!")
    for hit in found.red_flags:
        assert "\x1b" not in hit.evidence and "\x07" not in hit.evidence


# -- dos -----------------------------------------------------------------------------------------


def test_dos_are_covered_with_evidence() -> None:
    question = behavioral(
        dos=[
            "Give the result a number: time, money or error rate.",
            'Use "I" for your own actions.',
            "Say what you learned.",
            "Research the company before the interview.",
        ]
    )
    checks = analyse(question, STORY).dos
    assert [c.covered for c in checks] == [True, True, True, False]
    assert checks[0].evidence.startswith("Within a month")
    assert checks[1].evidence.startswith("I timed")
    assert not checks[3].judgeable


def test_a_do_said_in_plainer_words_is_covered() -> None:
    question = behavioral(dos=["Say when and to whom you reported the problem."])
    said = analyse(question, "Last year I slipped. I told my director about the mistake at once.")
    assert said.dos[0].covered
    assert said.dos[0].evidence == "I told my director about the mistake at once."
    # One plain word alone is not enough.
    assert not analyse(question, "Last year I slipped. I told a joke.").dos[0].covered


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("Research the company's recent news.", False),
        ("Rehearse it out loud until it fits in two minutes.", False),
        ("Send a thank-you note.", False),
        ("Give a range, not a single figure.", True),
        ("Name one concrete goal.", True),
    ],
)
def test_preparation_steps_cannot_be_judged_from_an_answer(item: str, expected: bool) -> None:
    assert judgeable(item) is expected


# -- rubric and rating ---------------------------------------------------------------------------


def test_a_red_flag_suggests_again() -> None:
    found = analyse(POLICY, STORY + " Honestly, policy is policy.")
    assert found.suggested_rating == Rating.AGAIN
    assert found.rubric.row("judgment").points == 0


def test_without_ticks_the_suggestion_stops_at_good() -> None:
    found = analyse(behavioral(length=(20, 60)), STORY)
    assert found.rubric.total == found.rubric.out_of
    assert found.suggested_rating == Rating.GOOD


def test_ticks_can_reach_easy_and_unjudgeable_dos_do_not_block_it() -> None:
    question = behavioral(
        dos=["Give the result a number.", "Research the company."], length=(20, 60)
    )
    found = analyse(question, STORY)
    ticks = SelfCheck(dos=frozenset({0}))  # the research do cannot be ticked from an answer
    assert found.suggestion(ticks, in_time=True).rating == Rating.EASY
    assert found.suggestion(ticks, in_time=False).rating == Rating.GOOD
    assert found.suggestion(ticks).rating == Rating.GOOD  # untimed review stops at Good


def test_a_general_flag_counts_while_ticked_and_is_cleared_by_unticking() -> None:
    found = analyse(POLICY, STORY + " My manager was useless, though.")
    assert [h.key for h in found.red_flags] == ["badmouth"]
    assert found.auto_ticks().general == frozenset({"badmouth"})
    assert found.suggestion(found.auto_ticks()).rating == Rating.AGAIN
    unticked = SelfCheck(dos=found.auto_ticks().dos)
    assert found.suggestion(unticked).rating != Rating.AGAIN
    assert found.rubric_with(unticked).row("judgment").points == 2


def test_a_ticked_dont_keeps_it_at_hard() -> None:
    found = analyse(POLICY, STORY)
    assert found.suggestion(SelfCheck(donts=frozenset({1}))).rating == Rating.HARD
    assert found.suggestion(SelfCheck(red_flags=frozenset({0}))).rating == Rating.AGAIN


def test_far_too_short_is_at_best_hard() -> None:
    found = analyse(behavioral(), "I timed the handovers and cut them to 12 minutes.")
    assert found.suggested_rating <= Rating.HARD


def test_rows_that_cannot_be_scored_are_left_out() -> None:
    found = analyse(
        Question("q", "Why this company?"), "Your pricing model. I read the 2024 report."
    )
    rubric = found.rubric
    assert rubric.row("structure").points is None
    assert rubric.row("fit").points is None
    assert rubric.out_of == 2 * sum(1 for row in rubric.rows if row.points is not None)


def test_job_terms_score_the_fit_row() -> None:
    found = analyse(behavioral(), STORY, job_terms=JobTerms(("checklist", "nurses"), ("budget",)))
    assert found.rubric.row("fit").points == 2
    assert found.to_json()["job_terms"] == {"used": ["checklist", "nurses"], "missing": ["budget"]}


def test_the_self_check_rule_is_unchanged() -> None:
    assert self_check_rating(0, 0, 0, 0) is None
    assert self_check_rating(1, 4, 1, 2) == Rating.AGAIN
    assert self_check_rating(3, 4, 1, 2) == Rating.HARD
    assert self_check_rating(2, 4, 0, 2) == Rating.GOOD
    assert self_check_rating(4, 4, 0, 2, in_time=True) == Rating.EASY
    assert self_check_rating(0, 0, 0, 2) == Rating.GOOD


# -- degrading gracefully ------------------------------------------------------------------------


def test_a_bare_question_and_an_empty_answer_do_not_break_anything() -> None:
    for text in ("", "   ", "?!", STORY):
        found = analyse(Question("q", "Anything?"), text)
        data = found.to_json()
        assert data["dos"] == [] and data["red_flags"] == []
        assert data["suggested_rating"] in ("again", "hard", "good")


def test_the_json_has_the_fields_the_issue_lists() -> None:
    data = analyse(POLICY, STORY).to_json()
    for key in (
        "words",
        "speaking_seconds",
        "target_seconds",
        "length",
        "fillers",
        "filler_count",
        "hedges",
        "star",
        "pronouns",
        "numbers",
        "dos",
        "red_flags",
        "job_terms",
        "rubric",
        "suggested_rating",
    ):
        assert key in data
    star = data["star"]
    assert isinstance(star, dict)
    for part in ("situation", "task", "action", "result"):
        assert set(star[part]) == {"found", "evidence"}
    assert {"action_share", "result_measured"} <= set(star)
    assert data["pronouns"] == {"i": 4, "we": 0}
    rubric = data["rubric"]
    assert isinstance(rubric, dict) and "total" in rubric


def test_a_dos_own_example_phrase_is_evidence_but_not_one_it_warns_against():
    question = behavioral(
        dos=[
            'Name your own part in one plain sentence ("I didn\'t test it", "I assumed").',
            'Name the change you agreed on, not just that you "talked it through".',
        ]
    )
    found = analyse(question, "We talked it through. I assumed the list was final, and it was not.")
    own, change = found.dos
    assert own.covered and own.evidence.startswith("I assumed")
    assert not change.covered
