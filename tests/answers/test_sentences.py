"""Which sentences of a draft cite which reference (`answers.sentences`), and the anchors
that tie each one to its marker in the rendered draft."""

import re

import pytest

from answers.rendering import render_sections
from answers.sentences import citing_sentences, sentences_citing, split_sentences


def quotes(body: str) -> dict[int, list[str]]:
    """Citation number -> the sentences citing it, for a one-section draft."""
    found = citing_sentences([{"heading": "Evidence", "body": body}])
    return {number: [s.text for s in sentences] for number, sentences in found.items()}


# -- marker forms -----------------------------------------------------------------


def test_a_single_marker_cites_its_sentence_only():
    assert quotes("Oral iron comes first [1]. It is cheap. Intravenous iron is second [2].") == {
        1: ["Oral iron comes first [1]."],
        2: ["Intravenous iron is second [2]."],
    }


def test_a_list_marker_cites_every_number_in_it():
    assert quotes("Both trials agree [1, 2]. The third did not [3].") == {
        1: ["Both trials agree [1, 2]."],
        2: ["Both trials agree [1, 2]."],
        3: ["The third did not [3]."],
    }


@pytest.mark.parametrize("marker", ["[2-4]", "[2 - 4]", "[2\u20134]"])
def test_a_range_marker_is_expanded(marker):
    assert quotes(f"Three cohorts {marker}. Another claim [1].") == {
        1: ["Another claim [1]."],
        2: [f"Three cohorts {marker}."],
        3: [f"Three cohorts {marker}."],
        4: [f"Three cohorts {marker}."],
    }


def test_lists_and_ranges_mix_in_one_marker():
    (sentence,) = sentences_citing([{"heading": "E", "body": "Pooled data [1, 3-5, 7]."}])
    assert sentence.numbers == (1, 3, 4, 5, 7)


def test_a_sentence_citing_a_number_twice_is_quoted_once_for_it():
    assert quotes("Dose [1] and duration [1, 2] both matter.") == {
        1: ["Dose [1] and duration [1, 2] both matter."],
        2: ["Dose [1] and duration [1, 2] both matter."],
    }


def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before():
    assert quotes("It works. [1] Then it failed [2]. Also here.[3] [4] Next one.") == {
        1: ["It works. [1]"],
        2: ["Then it failed [2]."],
        3: ["Also here.[3] [4]"],
        4: ["Also here.[3] [4]"],
    }


# -- what must not end a sentence ------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Start with oral iron, e.g. ferrous sulfate, every other day [1].",
        "Use an alternative, i.e. intravenous iron, when oral iron fails [1].",
        "Smith et al. found a benefit in older adults [1].",
        "Smith et al. [1] found a benefit in older adults.",
        "Intensive vs. standard control lowered events [1].",
        "Give 2.5 mg daily, or 0.5 mg/kg in children [1].",
        "The dose was 1.8 mg/m\u00b2 on day 1 [1].",
        "The hazard ratio was 0.72 (95% CI, 0.61-0.85) [1].",
        "Dr. Chen and Prof. Okafor reviewed it (see Fig. 2) [1].",
    ],
)
def test_abbreviations_decimals_and_markers_do_not_end_a_sentence(sentence):
    assert quotes(f"{sentence} A second sentence [2].") == {1: [sentence], 2: ["A second sentence [2]."]}


def test_question_and_exclamation_marks_end_sentences():
    assert quotes("Does it help? Yes [1]! Always [2].") == {1: ["Yes [1]!"], 2: ["Always [2]."]}


def test_split_sentences_covers_the_whole_text_in_order():
    text = "One e.g. two. Three [1]. Four"
    spans = split_sentences(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert [text[a:b].strip() for a, b in spans] == ["One e.g. two.", "Three [1].", "Four"]


# -- text as readers read it -------------------------------------------------------------


def test_each_list_item_and_paragraph_is_split_on_its_own():
    body = "Intro without a marker\n\n- Oral iron when tolerated [1]\n- Intravenous iron otherwise [2]\n\nLast [3]"
    assert quotes(body) == {
        1: ["Oral iron when tolerated [1]"],
        2: ["Intravenous iron otherwise [2]"],
        3: ["Last [3]"],
    }


def test_sentences_are_quoted_as_rendered_text():
    body = "**Intensive** control\nlowered _strokes_ [1]. A [link](https://example.org) too [2]."
    assert quotes(body) == {1: ["Intensive control lowered strokes [1]."], 2: ["A link too [2]."]}


def test_drafted_markup_is_quoted_as_text_not_markup():
    # Raw HTML is off in the renderer: readers see the characters, and so does the quote.
    assert quotes("<b>Bold</b> & <script>x</script> claim [1].") == {1: ["<b>Bold</b> & <script>x</script> claim [1]."]}


def test_markers_in_code_or_inside_a_link_are_text_as_on_the_page():
    assert quotes("Write `[1]` literally; see [trial [2]](https://example.org). Real one [3].") == {
        3: ["Real one [3]."]
    }


def test_sentences_without_markers_are_left_out():
    assert quotes("No evidence here. None at all.") == {}
    assert citing_sentences([]) == {}


def test_sections_are_numbered_and_named():
    sections = [
        {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
        {"heading": "Key Findings", "body": "Intravenous iron when oral fails [1, 2]."},
    ]
    found = citing_sentences(sections)
    assert [(s.section, s.heading) for s in found[1]] == [(1, "From the Guidelines"), (2, "Key Findings")]
    assert [(s.section, s.heading) for s in found[2]] == [(2, "Key Findings")]


def test_sections_may_be_objects_with_heading_and_body():
    class Section:
        heading, body = "Evidence", "A claim [1]."

    assert citing_sentences([Section()])[1][0].text == "A claim [1]."


# -- anchors -------------------------------------------------------------------------


def test_anchors_are_stable_and_name_the_sentences_first_marker():
    sections = [
        {"heading": "A", "body": "First [1]. Second [2] and [3]."},
        {"heading": "B", "body": "`[9]` is code. Third [2-3]."},
    ]
    anchors = [(s.anchor, s.numbers) for s in sentences_citing(sections)]
    assert anchors == [("cite-1-1", (1,)), ("cite-1-2", (2, 3)), ("cite-2-1", (2, 3))]
    assert [s.anchor for s in sentences_citing(sections)] == [a for a, _ in anchors]  # same every time


def test_every_anchor_is_the_id_of_a_marker_of_the_rendered_draft():
    sections = [
        {"heading": "A", "body": "Smith et al. [1] found it. It works. [2] Dose 2.5 mg [1, 3].\n\n- item [4]"},
        {"heading": "B", "body": "See `[1]` and [x [2]](https://example.org). Ranges [2-4]. **Bold [1]**."},
    ]
    html = "".join(str(s.html) for s in render_sections(sections, anchor_prefix="citation-", marker_ids=True))
    ids = re.findall(r'<sup class="cite" id="([^"]+)">(.*?)</sup>', html)
    rendered = {marker_id: [int(n) for n in re.findall(r'href="#citation-(\d+)"', links)] for marker_id, links in ids}
    found = sentences_citing(sections)
    assert len(found) == 6
    for sentence in found:
        # The sentence's first marker is there, and links to the first number the sentence cites.
        assert rendered[sentence.anchor][0] == sentence.numbers[0]
    assert len(rendered) == len(ids)  # ids are unique in the draft


def test_the_reader_page_rendering_carries_no_marker_ids():
    (section,) = render_sections([{"heading": "A", "body": "Claim [1]."}])
    assert '<sup class="cite"><a href="#ref-1"' in str(section.html)


# -- every sentence (the review's diff) ----------------------------------------------------


def test_reading_sentences_are_the_rendered_text_with_markers_kept_apart():
    from answers.sentences import reading_sentences

    found = reading_sentences("Oral **iron** first [1, 2]. Et al. [3] found\nmore.\n\n- Item [4-5].\n\n`[9]` code.")
    assert [(s.text, s.block) for s in found] == [
        ("Oral iron first [1, 2].", 0),
        ("Et al. [3] found more.", 0),
        ("Item [4-5].", 1),
        ("[9] code.", 2),
    ]
    assert found[0].parts == ("Oral iron first ", (1, 2), ". ")  # trailing space kept: `collapse` drops it
    assert found[2].parts == ("Item ", (4, 5), ".")
    assert found[3].parts == ("[9] code.",)  # a marker in code is text, as on the page
