"""Reading job postings: text, Markdown and pasted HTML into sections and requirement lines;
every kind of bad input refused in one line.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from drill.core.posting import SectionKind
from drill.io.postings import (
    MAX_BYTES,
    PostingError,
    decode_posting,
    parse_posting,
    read_posting_file,
    read_posting_stream,
)

JOBS = Path(__file__).parent / "data" / "jobs"

PLAIN = """Senior Data Analyst - Freightline
Rotterdam, hybrid

About us
We move parcels across Europe.

What you'll do:
- Build dashboards in Looker that track on-time delivery
  across every depot.
- Design and analyse A/B tests of routing changes.

Requirements:
- 3+ years of SQL.
- Experience with Snowflake and dbt.

Benefits
- 30 days of holiday and a pension.
"""


def requirement_texts(posting):
    return [r.text for r in posting.requirements]


def test_plain_text_sections_bullets_and_continuation_lines():
    posting = parse_posting(PLAIN)
    assert posting.title == "Senior Data Analyst"
    assert posting.company == "Freightline"
    kinds = {s.heading: s.kind for s in posting.sections}
    assert kinds["About us"] is SectionKind.COMPANY
    assert kinds["What you'll do"] is SectionKind.RESPONSIBILITIES
    assert kinds["Requirements"] is SectionKind.REQUIREMENTS
    assert kinds["Benefits"] is SectionKind.BENEFITS
    assert requirement_texts(posting) == [
        "Build dashboards in Looker that track on-time delivery across every depot.",
        "Design and analyse A/B tests of routing changes.",
        "3+ years of SQL.",
        "Experience with Snowflake and dbt.",
    ]
    assert {r.kind for r in posting.requirements} == {
        SectionKind.RESPONSIBILITIES,
        SectionKind.REQUIREMENTS,
    }


def test_markdown_headings_bold_headings_and_emphasis():
    text = (
        "# Product Manager\n\n**Pantry** · London\n\n## The role\n\n"
        "* Own the **roadmap** for [onboarding](https://example.com).\n"
        "* Run user research every week.\n\n**What you bring**\n\n- 3+ years as a PM.\n"
    )
    posting = parse_posting(text)
    assert posting.title == "Product Manager"
    assert posting.company == "Pantry"
    assert requirement_texts(posting) == [
        "Own the roadmap for onboarding.",
        "Run user research every week.",
        "3+ years as a PM.",
    ]


def test_html_lists_headings_and_entities_become_lines():
    html = (
        "<div><h1>Support Specialist</h1><p><strong>Snapform</strong> &middot; Remote</p>"
        "<h2>What you&rsquo;ll do</h2><ul><li>Answer <b>support tickets</b> &amp; chats.</li>"
        "<li>Write help center articles.</li></ul><h2>Perks</h2><p>Salary &euro;40k.</p></div>"
    )
    posting = parse_posting(html)
    assert posting.title == "Support Specialist"
    assert posting.company == "Snapform"
    assert requirement_texts(posting) == [
        "Answer support tickets & chats.",
        "Write help center articles.",
    ]


def test_paragraph_sentences_that_describe_the_company_are_not_requirements():
    text = (
        "Backend Engineer\n\nAbout the role\nPaywise processes payments for 12,000 shops. "
        "You will own the settlement service. The work is high stakes.\n"
    )
    assert requirement_texts(parse_posting(text)) == ["You will own the settlement service."]


def test_pay_and_perks_are_never_requirements_even_under_a_requirements_heading():
    text = "Requirements:\n- Excel skills.\n- We offer a salary of £50,000 and a pension.\n"
    assert requirement_texts(parse_posting(text)) == ["Excel skills."]


def test_without_known_headings_bullets_that_read_like_requirements_are_used():
    text = "Office Manager\n\n- Manage suppliers and budgets.\n- Free fruit on Fridays!\n"
    assert requirement_texts(parse_posting(text)) == ["Manage suppliers and budgets."]


def test_the_stored_text_reads_back_to_the_same_posting():
    for path in sorted(JOBS.iterdir()):
        if path.suffix == ".toml":
            continue
        first = parse_posting(read_posting_file(path), path.name)
        again = parse_posting(first.text, path.name)
        assert again.requirements == first.requirements, path.name
        assert (again.title, again.company) == (first.title, first.company), path.name


def test_every_labelled_posting_has_requirements_in_each_known_section():
    for path in sorted(JOBS.iterdir()):
        if path.suffix == ".toml":
            continue
        posting = parse_posting(read_posting_file(path), path.name)
        assert len(posting.requirements) >= 8, path.name
        assert not any("salary" in r.text.lower() for r in posting.requirements), path.name


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the posting is empty"),
        (b"  \n\t\n", "the posting is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("Café".encode("latin-1"), "not UTF-8"),
        (b"x" * (MAX_BYTES + 1), "over 256 KB"),
    ],
)
def test_bad_bytes_are_refused_in_one_line(data, message):
    with pytest.raises(PostingError) as caught:
        decode_posting(data, "posting.txt")
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert text.startswith("posting.txt")


def test_a_one_megabyte_posting_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Requirements:\n- SQL.\n" * 60_000)  # about 1.2 MB
    with pytest.raises(PostingError, match="over 256 KB"):
        read_posting_file(big)
    with pytest.raises(PostingError, match="over 256 KB"), big.open("rb") as handle:
        read_posting_stream(handle, "stdin")


def test_html_with_a_script_is_refused():
    for html in (
        "<p>Role</p><script>alert(1)</script><ul><li>Own SQL.</li></ul>",
        '<p onclick="x()">Role</p><ul><li>Own SQL.</li></ul>',
        '<p>Role</p><a href="javascript:steal()">apply</a><ul><li>Own SQL.</li></ul>',
    ):
        with pytest.raises(PostingError, match="holds a script"):
            parse_posting(html, "page.html")


def test_a_posting_without_requirements_is_refused():
    with pytest.raises(PostingError, match="no requirements found"):
        parse_posting("We are hiring!\n\nJoin our amazing team today.\n", "p.txt")


def test_directories_missing_files_and_pipes_are_refused(tmp_path):
    with pytest.raises(PostingError, match="directory"):
        read_posting_file(tmp_path)
    with pytest.raises(PostingError, match="no such file"):
        read_posting_file(tmp_path / "missing.txt")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # Nobody writes to it: reading it would block forever.
    with pytest.raises(PostingError, match="not a regular file"):
        read_posting_file(fifo)
    with pytest.raises(PostingError, match="not a regular file"):
        read_posting_file("/dev/zero")


def test_control_characters_are_removed():
    text = decode_posting(b"Requirements:\n- Own \x1b[31mSQL\x1b[0m reports.\n", "p")
    assert "\x1b" not in text
    assert requirement_texts(parse_posting(text)) == ["Own [31mSQL[0m reports."]


def test_stdin_reads_at_most_the_limit():
    stream = io.BytesIO(b"Requirements:\n- Build dashboards.\n")
    assert "Build dashboards" in read_posting_stream(stream)
