"""The Agreement report (editorial/reports/agreement.py) on a small double-review history, built
through the real services, whose figures are worked out by hand below.

Five citations per revision (V verified, U could not verify, S does not support the claim), all in
January 2026 unless said otherwise:

- R1 (Hematology, medrafter 1.0): maya first  V V V U V, daniel second V V U U V;
  citation 3 adjudicated V (with the first reviewer).
- R2 (Hematology, medrafter 1.0): maya first  V V U V V, daniel second V U U V S;
  citation 2 adjudicated U (with the second), citation 5 adjudicated U (with neither).
- R3 (Cardiology, guideline-writer 2.3): daniel first V V U V V, tess second the same.
- R6 (Hematology, guideline-writer 2.3): daniel first V V V U U, maya second V V V U V;
  citation 5 not adjudicated yet.
- Not counted: R4 (tess's second review half done: 2 of 5 verdicts) and R5 (maya then daniel,
  complete, but in March, outside the range).

Overall (A = first review, B = second), 20 citations, 16 agreements:
  (V,V) 12, (V,U) 2, (V,S) 1, (U,U) 4, (U,V) 1; A: V 15, U 5; B: V 13, U 6, S 1
  p_o = 16/20; p_e = (15·13 + 5·6) / 400 = 225/400; kappa = (320 - 225) / (400 - 225) = 95/175 = 19/35
Pair maya–daniel (R1, R2, R6), 15 shared, 11 agreements; maya: V 12, U 3; daniel: V 8, U 6, S 1
  kappa = (15·11 - (12·8 + 3·6)) / (225 - 114) = 51/111 = 17/37
Pair daniel–tess: 5 shared, below the minimum of 10: "too few".
Hematology (R1, R2, R6; A = first): 15, 11 agreements; A: V 11, U 4; B: V 9, U 5, S 1
  kappa = (165 - (99 + 20)) / (225 - 119) = 46/106 = 23/53
Cardiology (R3): 5 of 5 agree; A and B: V 4, U 1; kappa = (25 - 17) / (25 - 17) = 1
medrafter 1.0 (R1, R2): 10, 7 agreements; A: V 8, U 2; B: V 5, U 4, S 1
  kappa = (70 - 48) / (100 - 48) = 22/52 = 11/26
guideline-writer 2.3 (R3, R6): 10, 9 agreements; A: V 7, U 3; B: V 8, U 2
  kappa = (90 - 62) / (100 - 62) = 28/38 = 14/19
Disagreements 4 of 20 (20%): with the first 1, with the second 1, with neither 1, not yet 1.
"""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import clock
from answers.models import Answer
from editorial.reports import agreement
from editorial.reports.queries import ReportFilter
from editorial.review import checks, double, services
from tests import factories
from tests.factories import APPROVAL, at, record_verdicts

RANGE = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
URL = reverse("editorial_reports:page", args=["agreement"])
CODES = {"V": "verified", "U": "unverifiable", "S": "unsupported"}


def verdicts(code: str) -> list[str]:
    return [CODES[c] for c in code.split()]


def double_review(*, drafter, specialty, model, question, first, second, first_says, second_says, day, month="01"):
    """A high-risk draft of five citations: `first` reviews and approves it, `second` records `second_says`."""
    name, version = model.split()
    with clock.travel(at(f"2026-{month}-{day:02d}", 9)):
        draft = factories.draft(
            specialty,
            question=question,
            risk="high",
            model_name=name,
            model_version=version,
            sections=[{"heading": "From the Guidelines", "body": "Oral iron first [1] [2] [3] [4] [5]."}],
            citations=[{"number": n, "title": f"Trial number {n}", "year": 2020} for n in range(1, 6)],
        )
        answer = Answer.objects.get(pk=services.draft_submit(acting_user=drafter, draft=draft).answer_id)
        answer = services.answer_start_review(acting_user=first, answer=answer)
        record_verdicts(first, answer, verdicts(first_says))
        services.answer_approve(acting_user=first, answer=answer.pk, attestation=APPROVAL)
    with clock.travel(at(f"2026-{month}-{day:02d}", 15)):
        answer = services.answer_start_review(acting_user=second, answer=answer.pk)
        codes = verdicts(second_says)
        if len(codes) < 5:  # a second review left half done
            for citation, verdict in zip(answer.pending_revision.citations.order_by("number"), codes, strict=False):
                checks.citation_verdict_record(acting_user=second, citation=citation, verdict=verdict)
        else:
            record_verdicts(second, answer, codes)
    return answer


def adjudicate(editor, answer, number, code, day):
    with clock.travel(at(f"2026-01-{day:02d}", 17)):
        citation = answer.pending_revision.citations.get(number=number)
        double.citation_adjudicate(acting_user=editor, citation=citation, verdict=CODES[code], reason="Read it.")


@pytest.fixture
def people(board_member, second_board_member, specialty, other_specialty):
    second_board_member.reviewer_profile.specialties.add(other_specialty)
    tess = factories.board_member_of(other_specialty, "tess")
    tess.reviewer_profile.specialties.add(specialty)
    return {"maya": board_member, "daniel": second_board_member, "tess": tess}


@pytest.fixture
def history(people, drafter, editor, specialty, other_specialty):
    maya, daniel, tess = people["maya"], people["daniel"], people["tess"]
    common = {"drafter": drafter}
    r1 = double_review(**common, specialty=specialty, model="medrafter 1.0", question="R1?", first=maya,
                       second=daniel, first_says="V V V U V", second_says="V V U U V", day=5)  # fmt: skip
    adjudicate(editor, r1, 3, "V", 5)
    r2 = double_review(**common, specialty=specialty, model="medrafter 1.0", question="R2?", first=maya,
                       second=daniel, first_says="V V U V V", second_says="V U U V S", day=6)  # fmt: skip
    adjudicate(editor, r2, 2, "U", 6)
    adjudicate(editor, r2, 5, "U", 6)
    double_review(**common, specialty=other_specialty, model="guideline-writer 2.3", question="R3?", first=daniel,
                  second=tess, first_says="V V U V V", second_says="V V U V V", day=7)  # fmt: skip
    double_review(**common, specialty=specialty, model="medrafter 1.0", question="R4?", first=maya,
                  second=tess, first_says="V V V V V", second_says="U S", day=8)  # fmt: skip
    double_review(**common, specialty=specialty, model="medrafter 1.0", question="R5?", first=maya,
                  second=daniel, first_says="V V V V V", second_says="S S U U S", day=2, month="03")  # fmt: skip
    double_review(**common, specialty=specialty, model="guideline-writer 2.3", question="R6?", first=daniel,
                  second=maya, first_says="V V V U U", second_says="V V V U V", day=9)  # fmt: skip
    return people


def january(**kwargs) -> ReportFilter:
    return ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31), **kwargs)


def test_the_figures_match_the_hand_worked_history(history):
    data = agreement.agreement(january())
    [summary] = data["summary"]
    assert (summary["items"], summary["agreed"], summary["disagreements"]) == (20, 16, 4)
    assert summary["observed"] == pytest.approx(16 / 20)
    assert summary["expected"] == pytest.approx(225 / 400)
    assert summary["kappa"] == pytest.approx(19 / 35)
    assert summary["disagreement_share"] == pytest.approx(0.2)
    assert (summary["sided_first"], summary["sided_second"], summary["sided_neither"], summary["awaiting"]) == (
        1,
        1,
        1,
        1,
    )

    pairs = {(row["member_a"], row["member_b"]): row for row in data["pairs"]}
    maya_daniel = pairs.get(("Dr. Daniel Okafor", "Dr. Maya Chen")) or pairs[("Dr. Maya Chen", "Dr. Daniel Okafor")]
    assert (maya_daniel["items"], maya_daniel["agreed"]) == (15, 11)
    assert maya_daniel["kappa"] == pytest.approx(17 / 37)
    [daniel_tess] = [row for pair, row in pairs.items() if "Dr. Tess" in pair]
    assert daniel_tess["items"] == 5 and daniel_tess["kappa"] == agreement.TOO_FEW == "too few"
    assert daniel_tess["observed"] is None  # no figure at all below the minimum
    assert len(pairs) == 2  # tess's half-done review of R4 makes no maya–tess pair

    specialties = {row["specialty"]: row for row in data["specialties"]}
    assert specialties["Hematology/Oncology"]["items"] == 15
    assert specialties["Hematology/Oncology"]["kappa"] == pytest.approx(23 / 53)
    assert specialties["Cardiology"]["items"] == 5 and specialties["Cardiology"]["kappa"] == 1

    models = {row["model"]: row for row in data["models"]}
    assert models["medrafter 1.0"]["items"] == 10
    assert models["medrafter 1.0"]["kappa"] == pytest.approx(11 / 26)
    assert models["guideline-writer 2.3"]["items"] == 10
    assert models["guideline-writer 2.3"]["kappa"] == pytest.approx(14 / 19)


def test_the_date_range_and_filters_narrow_the_items(history, other_specialty):
    march = agreement.agreement(ReportFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    # Only R5, completed in March: (V,S) (V,S) (V,U) (V,U) (V,S); A always V, so p_e = 0 and kappa 0.
    [summary] = march["summary"]
    assert (summary["items"], summary["agreed"], summary["kappa"]) == (5, 0, 0)
    assert summary["awaiting"] == 5

    [cardiology] = agreement.agreement(january(specialty_id=other_specialty.pk))["summary"]
    assert (cardiology["items"], cardiology["kappa"]) == (5, 1)
    [tess] = agreement.agreement(january(reviewer_id=history["tess"].pk))["summary"]
    assert tess["items"] == 5  # R3 only: R4 is half done
    [writer] = agreement.agreement(january(model=("guideline-writer", "2.3")))["summary"]
    assert writer["kappa"] == pytest.approx(14 / 19)


def test_nothing_reviewed_twice_gives_empty_tables(db):
    data = agreement.agreement(january())
    assert data["summary"][0]["items"] == 0 and data["summary"][0]["kappa"] is None
    assert data["pairs"] == data["specialties"] == data["models"] == []


def test_the_page_shows_the_figures_and_too_few(client, editor, history):
    client.force_login(editor)
    response = client.get(URL, RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Agreement</h1>" in html
    assert '<td class="num">0.543</td>' in html  # 19/35 overall
    assert "<td>too few</td>" in html
    assert ">0.459<" in html  # maya–daniel, 17/37
    assert 'href="/editorial/reports/agreement/"' in client.get(reverse("editorial_reports:index")).content.decode()


def test_the_csv_holds_the_same_figures(client, editor, history):
    client.force_login(editor)
    response = client.get(URL, {**RANGE, "export": "agreement_pairs"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="vetted-agreement_pairs.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Board member", "Board member", "Shared citations", "Observed agreement (%)",
                       "Cohen's kappa", "Disagreements"]  # fmt: skip
    by_items = {row[2]: row for row in rows[1:]}
    assert by_items["15"][3:] == ["73.3", "0.459", "4"]
    assert by_items["5"][3:] == ["", "too few", "0"]

    summary = list(csv.reader(io.StringIO(client.get(URL, {**RANGE, "export": "agreement"}).content.decode())))
    assert summary[1] == ["20", "80.0", "56.2", "0.543", "4", "20.0", "1", "1", "1", "1"]


def test_an_unknown_table_is_a_clear_400(client, editor, db):
    client.force_login(editor)
    response = client.get(URL, {"export": "nope"})
    assert response.status_code == 400 and "agreement_pairs" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_revisions(client, editor, history, drafter, specialty):
    client.force_login(editor)
    client.get(URL, RANGE)  # warm the session
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, RANGE).status_code == 200
    people = history
    for n, day in ((7, 12), (8, 13), (9, 14)):
        double_review(drafter=drafter, specialty=specialty, model="other-model 9", question=f"R{n}?",
                      first=people["maya"], second=people["tess"], first_says="V U V U V",
                      second_says="V V V U U", day=day)  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL, RANGE)
    assert response.status_code == 200
    assert response.context["sections"][0]["rows"][0][0] == 35  # 15 more citations counted
    assert len(after) == len(before)
