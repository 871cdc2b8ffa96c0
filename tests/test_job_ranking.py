"""The posting's terms, the ranking with its reasons and gaps, and questions drafted for gaps:
pure functions over small decks written here.
"""

from __future__ import annotations

from drill.core.gaps import gap_deck, gap_question
from drill.core.model import Question
from drill.core.phrasing import past_tense
from drill.core.ranking import Candidate, QuestionIndex, rank
from drill.core.terms import Background, extract_terms, term_use
from drill.core.words import stem, stems, tokens
from drill.io.postings import load_background, parse_posting

POSTING = """Data Analyst
Freightline

What you'll do:
- Build and maintain dashboards that operations managers actually use.
- Design and analyse A/B tests of routing changes.
- Partner with finance stakeholders to agree the KPIs each depot is measured on.
- Write SQL against our Snowflake warehouse every day.

What you bring:
- Excellent communication.
"""


def question(qid: str, text: str, tags: str = "", **more: object) -> Question:
    return Question(
        id=qid, question=text, tags=[t.strip() for t in tags.split(",") if t.strip()], **more
    )


DATA = [
    question("ab-test", "Tell me about an A/B test whose result surprised you.", "experimentation"),
    question("dashboard", "Tell me about a dashboard you built that people used.", "dashboards"),
    question(
        "stakeholders",
        "Tell me about a time stakeholders disagreed on a metric.",
        "stakeholders, influence",
        competencies=["stakeholders", "influence"],
    ),
]
SALES = [
    question("lost-deal", "Tell me about a deal you lost.", "sales, lost deal"),
    question("pipeline", "How do you build pipeline?", "prospecting, pipeline"),
]
GENERAL = [question("weakness", "What is your greatest weakness?", "self-awareness")]


def candidates() -> list[Candidate]:
    return (
        [Candidate("data", "Data", q) for q in DATA]
        + [Candidate("sales", "Sales", q, installed=False) for q in SALES]
        + [Candidate("general", "General", q, universal=True) for q in GENERAL]
    )


def analysed():
    posting = parse_posting(POSTING)
    terms = extract_terms(posting, load_background())
    return posting, terms, rank(posting, terms, candidates())


# -- words --------------------------------------------------------------------------------------


def test_stems_meet_across_inflections_and_derivations():
    assert stem("stakeholders") == stem("stakeholder")
    assert stem("prioritization") == stem("prioritize") == stem("priorities")
    assert stem("negotiated") == stem("negotiation") == stem("negotiate")
    assert stem("renewals") == stem("renewal")
    assert stem("modelling") == stem("modeling") == stem("models")
    assert stem("looker") != stem("looking")  # a product's name stays whole


def test_tokens_keep_terms_with_inner_marks():
    assert tokens("A/B-tested C++, C# and CI/CD; sales/marketing, P&L; Node.js & / +") == [
        "a/b",
        "tested",
        "c++",
        "c#",
        "and",
        "ci/cd",
        "sales",
        "marketing",
        "p&l",
        "node",
        "js",
    ]
    assert tokens("Ünïcode “quotes” — and dashes") == ["unicode", "quotes", "and", "dashes"]


def test_past_tense():
    assert [past_tense(v) for v in ("negotiate", "lead", "plan", "apply", "own", "build")] == [
        "negotiated",
        "led",
        "planned",
        "applied",
        "owned",
        "built",
    ]


# -- terms ----------------------------------------------------------------------------------------


def test_terms_come_from_the_vocabulary_the_tool_list_and_the_lines_they_are_in():
    posting, terms, _ = analysed()
    by_name = {t.text: t for t in terms}
    for expected in ("A/B testing", "dashboards and reporting", "SQL", "Snowflake"):
        assert expected in by_name, expected
    assert by_name["SQL"].kind == "tool"
    assert by_name["stakeholder management"].kind == "competency"
    assert by_name["A/B testing"].lines == (1,)
    assert posting.requirements[1].text.startswith("Design and analyse A/B tests")


def test_ordinary_posting_words_weigh_little_against_the_background():
    background = Background.from_documents(
        ["We want a strong team player.", "A strong team and a great culture."]
    )
    assert background.specificity(stem("team")) < background.specificity(stem("throughput"))
    assert background.specificity(stem("throughput")) == 1.0


def test_the_company_name_is_never_a_term():
    posting = parse_posting(
        "Analyst at Zentrix\n\nRequirements:\n- Improve Zentrix reporting.\n"
        "- Support Zentrix teams with Zentrix data.\n"
    )
    terms = extract_terms(posting, load_background(), "Zentrix")
    assert all("zentrix" not in t.text.lower() for t in terms)


def test_term_use_in_an_answer():
    _, terms, _ = analysed()
    chosen = [t for t in terms if t.text in ("A/B testing", "SQL", "stakeholder management")]
    use = term_use(chosen, "I ran an experiment and wrote the SQL myself.")
    assert set(use.used) == {"A/B testing", "SQL"}
    assert use.missing == ("stakeholder management",)


# -- ranking ----------------------------------------------------------------------------------------


def test_questions_that_serve_the_posting_rank_first_with_reasons():
    _, _, ranking = analysed()
    order = [s.question_id for s in ranking.questions]
    assert set(order[:3]) == {"ab-test", "dashboard", "stakeholders"}
    by_id = {s.question_id: s for s in ranking.questions}
    assert "A/B tests" in by_id["ab-test"].reason
    assert by_id["ab-test"].reason.startswith("serves “")
    assert "A/B testing" in by_id["ab-test"].terms
    assert by_id["stakeholders"].terms[0] == "stakeholder management"


def test_questions_from_packs_not_installed_are_marked():
    posting = parse_posting("Account Executive\n\nWhat you'll do:\n- Build pipeline.\n")
    terms = extract_terms(posting, load_background())
    ranking = rank(posting, terms, candidates())
    pipeline = next(s for s in ranking.questions if s.question_id == "pipeline")
    assert pipeline.installed is False
    assert pipeline.to_json()["installed"] is False


def test_each_requirement_gets_its_best_questions_and_uncovered_ones_are_gaps():
    _, _, ranking = analysed()
    by_text = {m.requirement.text[:20]: m for m in ranking.requirements}
    dashboards = by_text["Build and maintain d"]
    assert not dashboards.gap
    assert dashboards.best[0].question_id == "dashboard"
    sql = by_text["Write SQL against ou"]
    assert sql.gap
    assert "SQL" in sql.terms and "Snowflake" in sql.terms
    assert sql in ranking.gaps


def test_a_line_with_no_term_drill_knows_is_not_a_gap():
    posting = parse_posting("Requirements:\n- Own the blorp process.\n- Write SQL daily.\n")
    terms = extract_terms(posting, load_background())
    ranking = rank(posting, terms, candidates())
    blorp = ranking.requirements[0]
    assert blorp.terms == () or not blorp.gap


def test_a_managers_question_sinks_for_an_individual_post():
    text = "Tell me about someone you coached."
    manager = question("for-managers", text, "coaching", level="manager")
    anyone = question("for-anyone", text, "coaching", level="any")
    posting = parse_posting("Senior Analyst\n\nRequirements:\n- Coach junior analysts.\n")
    terms = extract_terms(posting, load_background())
    ranking = rank(posting, terms, [Candidate("d", "D", manager), Candidate("d", "D", anyone)])
    assert ranking.level == "experienced"
    first, second = ranking.questions
    assert (first.question_id, second.question_id) == ("for-anyone", "for-managers")
    assert second.score < first.score


def test_the_index_can_be_reused_and_ranks_the_same():
    posting, terms, ranking = analysed()
    index = QuestionIndex(candidates())
    again = rank(posting, terms, index)
    assert [s.ref for s in again.questions] == [s.ref for s in ranking.questions]


def test_json_of_a_ranked_question_and_a_requirement():
    _, _, ranking = analysed()
    item = ranking.questions[0].to_json()
    assert set(item) == {
        "deck",
        "question_id",
        "question",
        "score",
        "reason",
        "terms",
        "installed",
    }
    requirement = ranking.requirements[0].to_json()
    assert set(requirement) == {
        "text",
        "section",
        "kind",
        "terms",
        "coverage",
        "gap",
        "questions",
    }


# -- gaps become cards ----------------------------------------------------------------------------


def test_gap_questions_by_the_shape_of_the_requirement():
    assert (
        gap_question("Experience with Snowflake and dbt.", ["Snowflake", "dbt"]).question
        == "Tell me about your experience with Snowflake and dbt."
    )
    assert (
        gap_question("Negotiate renewals with enterprise customers.").question
        == "Tell me about a time you negotiated renewals with enterprise customers."
    )
    assert (
        gap_question("You will design, build and operate our payment services.").question
        == "Tell me about a time you designed, built and operated the payment services."
    )
    assert (
        gap_question("A track record of building inclusive teams.").question
        == "Tell me about a time you built inclusive teams."
    )
    assert (
        gap_question("Ability to work independently.").question
        == "Tell me about a time you had to work independently."
    )
    assert gap_question("Strong analytical skills.").question == (
        "Tell me about a time your analytical skills made the difference."
    )
    fallback = gap_question("Curious about how people shop.").question
    assert "Curious about how people shop" in fallback


def test_gap_deck_round_trips_through_the_markdown_format():
    from drill.io.markdown.deck import dump_markdown
    from tests.helpers import parse

    deck = gap_deck(
        "Data Analyst",
        "Freightline",
        [
            ("Experience with Snowflake and dbt.", ["Snowflake", "dbt"], ["Snowflake", "dbt"]),
            ("Negotiate renewals.", ["renewals"], []),
            ("Negotiate renewals.", ["renewals"], []),
        ],
    )
    assert deck.name == "Gaps for Data Analyst at Freightline"
    text = dump_markdown(deck)
    again = parse(text)
    assert [q.id for q in again.questions] == [q.id for q in deck.questions]
    assert len({q.id for q in again.questions}) == 3
    first = again.questions[0]
    assert first.why == "The posting asks for: “Experience with Snowflake and dbt.”"
    assert first.approach.startswith("Fill this in")
    assert "job gap" in first.tags and "snowflake" in first.tags
    assert stems(first.question)[:3] == ["tell", "me", "about"]
