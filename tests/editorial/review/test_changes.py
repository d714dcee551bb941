"""The review's Changes tab as computed (`editorial.review.changes`): sections matched by heading then
position, sentences aligned and paired, changed words marked, references matched by DOI, PMID, title."""

from types import SimpleNamespace

import pytest

from editorial.review.changes import (
    match_references,
    match_sections,
    normalised_title,
    references_diff,
    revision_diff,
)
from editorial.review.diff import Budget
from tests.xss_corpus import PAYLOADS, executable_markup


class _Related(list):
    def all(self):
        return self


def cite(number, title="Iron trial", **fields):
    values = {"authors": "", "journal": "", "year": 2020, "pmid": "", "doi": "", "url": ""} | fields
    return SimpleNamespace(number=number, title=title, **values)


def revision(sections, citations=()):
    return SimpleNamespace(
        sections=_Related(SimpleNamespace(heading=h, body=b) for h, b in sections), citations=_Related(citations)
    )


def rows(section):
    return [(r.change, r.old and str(r.old), r.new and str(r.new)) for r in section.rows]


# -- sections -----------------------------------------------------------------------------------


def test_sections_are_matched_by_heading_whatever_their_order_then_by_position():
    old = ["Guidelines", "Key findings", "Dosing", "Old"]
    new = ["key  FINDINGS", "Guidelines", "Dose", "Monitoring", "Brand new"]
    assert match_sections(old, new) == [
        (1, 0),  # by heading, case and spacing aside
        (0, 1),
        (2, 2),  # by position: "Dosing" renamed "Dose"
        (3, 3),  # by position: "Old" and "Monitoring" both the fourth
        (None, 4),  # added
    ]


def test_an_unmatched_section_elsewhere_is_removed_and_shown_after_the_one_it_followed():
    assert match_sections(["A", "B", "C"], ["A", "C", "D"]) == [(0, 0), (1, None), (2, 1), (None, 2)]
    assert match_sections(["X", "A"], ["A"]) == [(0, None), (1, 0)]


def test_added_and_removed_sections_are_shown_whole_and_renames_and_moves_are_said():
    live = revision([("Intro", "Stays."), ("Gone", "First. Second."), ("Dosing", "Give 10 mg.")])
    pending = revision(
        [("Dosing", "Give 10 mg."), ("Intro", "Stays."), ("Elsewhere", "One."), ("New", "First one. Second one.")]
    )
    diff = revision_diff(live, pending)
    by = {s.heading: s for s in diff.sections}
    assert [s.heading for s in diff.sections] == ["Dosing", "Intro", "Gone", "Elsewhere", "New"]
    assert by["Dosing"].change == "unchanged" and by["Dosing"].rows == ()
    assert [s.heading for s in diff.sections if s.moved] == ["Dosing"]  # off the longest run kept in order
    assert by["Gone"].change == "removed"
    assert rows(by["Gone"]) == [("removed", "First.", None), ("removed", "Second.", None)]
    assert by["New"].change == "added" and rows(by["New"]) == [
        ("added", None, "First one."),
        ("added", None, "Second one."),
    ]
    # "Elsewhere" is the third section, like nothing in the live revision's third place but "Dosing",
    # which matched by heading: so it is added, not a rename.
    assert by["Elsewhere"].change == "added"


def test_a_section_renamed_in_place_is_one_changed_section():
    diff = revision_diff(revision([("Dosing", "Give 10 mg.")]), revision([("Dose", "Give 10 mg.")]))
    (section,) = diff.sections
    assert section.change == "changed" and section.old_heading == "Dosing" and section.heading == "Dose"


# -- sentences ----------------------------------------------------------------------------------


def test_sentences_are_aligned_changed_added_removed_unchanged():
    live = revision([("S", "Oral iron first. Check ferritin after 8 weeks. Avoid tea with meals. Give 10 mg daily.")])
    pending = revision(
        [
            (
                "S",
                "Oral iron first. Check ferritin after 12 weeks. A new sentence on vitamin levels. Give 10 mg daily.",
            )
        ]
    )
    (section,) = revision_diff(live, pending, whole=True).sections
    assert section.change == "changed"
    assert rows(section) == [
        ("unchanged", "Oral iron first.", "Oral iron first."),
        ("changed", "Check ferritin after <del>8</del> weeks.", "Check ferritin after <ins>12</ins> weeks."),
        ("removed", "Avoid tea with meals.", None),
        ("added", None, "A new sentence on vitamin levels."),
        ("unchanged", "Give 10 mg daily.", "Give 10 mg daily."),
    ]
    assert section.counts == {"unchanged": 2, "changed": 1, "removed": 1, "added": 1}


def test_only_changed_sentences_by_default_runs_of_unchanged_ones_counted():
    body = "One. Two. Three. Four."
    (section,) = revision_diff(revision([("S", body)]), revision([("S", body + " Five.")])).sections
    assert [(r.change, r.skipped) for r in section.rows] == [("unchanged", 4), ("added", 0)]
    assert section.rows[0].old is None and section.rows[0].new is None
    (whole,) = revision_diff(revision([("S", body)]), revision([("S", body + " Five.")]), whole=True).sections
    assert [r.change for r in whole.rows] == ["unchanged"] * 4 + ["added"]


def test_changed_words_are_marked_inside_a_changed_sentence_on_each_side():
    live = revision([("S", "Give **10 mg** of oral iron every day [1].")])
    pending = revision([("S", "Give 20 mg of oral iron every other day [1].")])
    (section,) = revision_diff(live, pending).sections
    assert rows(section) == [
        (
            "changed",
            "Give <del>10</del> mg of oral iron every day [1].",
            "Give <ins>20</ins> mg of oral iron every <ins>other </ins>day [1].",
        )
    ]


def test_rendered_text_is_compared_so_formatting_alone_is_no_changed_sentence():
    live = revision([("S", "Oral iron is **first** line.\n\nSee [the guideline](https://example.org/a).")])
    pending = revision([("S", "Oral iron is *first*   line.\n\nSee [the guideline](https://example.org/b).")])
    (section,) = revision_diff(live, pending).sections
    assert section.change == "unchanged" and section.formatting_only
    assert [(r.change, r.skipped) for r in section.rows] == [("unchanged", 2)]


def test_unrelated_sentences_are_not_paired_but_removed_and_added():
    live = revision([("S", "Recent studies on iron were small.")])
    pending = revision([("S", "Intensive control (systolic below 120) reduced strokes.")])
    (section,) = revision_diff(live, pending).sections
    assert [r.change for r in section.rows] == ["removed", "added"]


def test_a_marker_renumbered_with_its_reference_is_no_change():
    live = revision([("S", "Oral iron first [1]. Ferritin at 8 weeks [2].")], [cite(1), cite(2, "Ferritin")])
    pending = revision(
        [("S", "Oral iron first [2]. Ferritin at 8 weeks [3].")],
        [cite(1, "A new guideline"), cite(2), cite(3, "Ferritin")],
    )
    diff = revision_diff(live, pending)
    (section,) = diff.sections
    assert section.change == "unchanged" and section.formatting_only
    wrong = revision_diff(live, revision([("S", "Oral iron first [3]. Ferritin at 8 weeks [3].")], pending.citations))
    assert [r.change for r in wrong.sections[0].rows] == ["changed", "unchanged"]


def test_drafted_markup_is_escaped_everywhere_in_the_diff():
    for payload in PAYLOADS:
        live = revision([(payload, f"Before {payload} end."), ("Gone " + payload, payload)])
        pending = revision([(payload, f"After {payload} end. {payload}"), ("New", payload + " [1].")])
        for whole in (False, True):
            diff = revision_diff(live, pending, whole=whole)
            html = "".join(str(r.old or "") + str(r.new or "") for s in diff.sections for r in s.rows)
            assert executable_markup(f"<div>{html}</div>") == [], payload
            assert "<script" not in html.lower() and "<img" not in html.lower(), payload


# -- references ---------------------------------------------------------------------------------


def test_references_are_matched_by_doi_then_pmid_then_normalised_title():
    old = [
        cite(1, "Anything", doi="10.1056/NEJMoa1"),
        cite(2, "Other", pmid="123"),
        cite(3, "Ferritin: a Cohort Study"),
        cite(4, "Same title", doi="10.1/x"),
    ]
    new = [
        cite(1, "Ferritin  —  a cohort study!"),
        cite(2, "Renamed", doi="https://doi.org/10.1056/nejmoa1"),
        cite(3, "Changed too", pmid="123"),
        cite(4, "Same title", doi="10.1/y"),  # a different DOI is a different work: title alone does not match
    ]
    assert normalised_title("Ferritin  —  a Cohort Study!") == "ferritin a cohort study"
    assert match_references(old, new) == [(2, 0, "title"), (0, 1, "DOI"), (1, 2, "PMID"), (3, 3, "title")]


def test_a_renumbered_identical_reference_is_renumbered_not_removed_and_added():
    old = [cite(1, "Iron trial", pmid="1"), cite(2, "Dosing study", pmid="2"), cite(3, "Cohort", pmid="3")]
    new = [cite(1, "New guideline", pmid="9"), cite(2, "Iron trial", pmid="1"), cite(3, "Cohort", pmid="3")]
    changes = references_diff(old, new)
    assert [(c.change, c.old_number, c.new_number, c.matched_by) for c in changes] == [
        ("added", None, 1, ""),
        ("renumbered", 1, 2, "PMID"),
        ("removed", 2, None, ""),
        ("unchanged", 3, 3, "PMID"),
    ]
    assert changes[1].renumbered and changes[1].fields == ()


def test_changed_fields_are_named_with_before_and_after():
    old = [cite(3, "Iron dosing in adults", doi="10.1/a", year=2019, journal="Blood", authors="Smith J")]
    new = [cite(4, "Iron dosing in older adults", doi="10.1/A", year=2020, journal="Blood", authors="Smith J, Lee K")]
    (change,) = references_diff(old, new)
    assert change.change == "changed" and change.renumbered and change.matched_by == "DOI"
    fields = {f.name: f for f in change.fields}
    assert set(fields) == {"title", "authors", "year"}  # the DOI differs only in case
    assert (fields["year"].old, fields["year"].new) == ("2019", "2020")
    assert str(fields["title"].html) == "Iron dosing in <ins>older </ins>adults"


def test_the_summary_counts_what_changed():
    live = revision([("S", "One. Two."), ("Gone", "X.")], [cite(1, "A", pmid="1"), cite(2, "B", pmid="2")])
    pending = revision([("S", "One. Three, a new one.")], [cite(1, "B", pmid="2"), cite(2, "C", pmid="3")])
    assert revision_diff(live, pending).summary == (
        "1 section changed, 1 removed; 2 sentences removed, 1 added; references: 1 renumbered, 1 removed, 1 added"
    )
    same = revision([("S", "One.")])
    assert revision_diff(same, same).summary == "No change readers would see."


# -- bounds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [Budget(render=0), Budget(pairs=0), Budget(cells=0), Budget(chars=0)])
def test_every_budget_ends_in_a_diff_that_still_shows_both_texts(budget):
    live = revision([("S", "Give 10 mg daily. Keep it. Check ferritin.")])
    pending = revision([("S", "Give 20 mg daily. Keep it. Check ferritin soon.")])
    (section,) = revision_diff(live, pending, whole=True, budget=budget).sections
    old = "".join(str(r.old or "") for r in section.rows).replace("<del>", "").replace("</del>", "")
    new = "".join(str(r.new or "") for r in section.rows).replace("<ins>", "").replace("</ins>", "")
    assert section.change == "changed"
    assert old.replace(" ", "") == "Give10mgdaily.Keepit.Checkferritin."
    assert new.replace(" ", "") == "Give20mgdaily.Keepit.Checkferritinsoon."
    assert section.rendered == (budget.render > 0)
