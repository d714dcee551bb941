from types import SimpleNamespace

from editorial.review.diff import references_diff, section_diff, word_diff


def section(heading, body):
    return {"heading": heading, "body": body}


def test_word_diff_marks_deleted_and_inserted_words():
    assert str(word_diff("Give 10 mg daily.", "Give 20 mg daily.")) == "Give <del>10</del><ins>20</ins> mg daily."


def test_word_diff_escapes_drafted_markup():
    html = str(word_diff("safe", "<script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_sections_are_matched_by_heading_and_compared_one_by_one():
    old = [section("Guidelines", "Oral iron."), section("Key Findings", "Works."), section("Old", "Gone.")]
    new = [section("Guidelines", "Oral iron."), section("Key Findings", "Works well."), section("New", "Here.")]
    diffs = section_diff(old, new)
    assert [(d.heading, d.change) for d in diffs] == [
        ("Guidelines", "unchanged"),
        ("Key Findings", "changed"),
        ("Old", "removed"),
        ("New", "added"),
    ]
    assert str(diffs[1].html) == "<del>Works.</del><ins>Works well.</ins>"
    assert str(diffs[2].html) == "<del>Gone.</del>"
    assert str(diffs[3].html) == "<ins>Here.</ins>"


def test_a_changed_reference_shows_in_the_references_diff():
    def cite(number, title, year):
        return SimpleNamespace(number=number, title=title, year=year, authors="", journal="", pmid="", doi="", url="")

    same = references_diff([cite(1, "Trial", 2020)], [cite(1, "Trial", 2020)])
    changed = references_diff([cite(1, "Trial", 2020)], [cite(1, "Trial", 2021)])
    assert same.change == "unchanged"
    assert changed.change == "changed" and str(changed.html) == "[1] Trial <del>2020</del><ins>2021</ins>"
