"""Cohen's kappa (editorial/reports/kappa.py) against figures worked out by hand."""

from fractions import Fraction

import pytest

from editorial.reports.kappa import cohen_kappa, kappa_of_pairs

V, U, S = "verified", "unverifiable", "unsupported"


def test_a_worked_example_with_three_categories():
    # Rater A in rows, rater B in columns; 15 citations.
    #            B: V   U   S   | A's total
    #   A = V       6   2   0   |  8
    #   A = U       1   3   1   |  5
    #   A = S       0   0   2   |  2
    #   B's total   7   5   3   | 15
    # p_o = (6 + 3 + 2) / 15 = 11/15
    # p_e = (8·7 + 5·5 + 2·3) / 15² = 87/225
    # kappa = (11/15 - 87/225) / (1 - 87/225) = (165 - 87) / (225 - 87) = 78/138 = 13/23 ≈ 0.5652
    table = {(V, V): 6, (V, U): 2, (U, V): 1, (U, U): 3, (U, S): 1, (S, S): 2}
    result = cohen_kappa(table)
    assert (result.items, result.agreed, result.disagreed) == (15, 11, 4)
    assert result.observed == pytest.approx(11 / 15)
    assert result.expected == pytest.approx(87 / 225)
    assert result.kappa == pytest.approx(float(Fraction(13, 23)))
    assert round(result.kappa, 4) == 0.5652


def test_perfect_agreement_is_one():
    result = kappa_of_pairs([(V, V), (U, U), (S, S), (V, V)])
    assert result.observed == 1 and result.kappa == 1


def test_agreement_at_chance_level_is_zero():
    # A says V, V, U, U; B says V, U, V, U: they agree half the time, as independent coins would.
    # p_o = 2/4; p_e = (2·2 + 2·2) / 16 = 1/2; kappa = 0.
    result = kappa_of_pairs([(V, V), (V, U), (U, V), (U, U)])
    assert result.observed == 0.5 and result.expected == 0.5 and result.kappa == 0


def test_systematic_disagreement_is_negative():
    # p_o = 0, p_e = (1·1 + 1·1) / 4 = 1/2: kappa = (0 - 1/2) / (1 - 1/2) = -1.
    assert kappa_of_pairs([(V, U), (U, V)]).kappa == -1


def test_one_and_the_same_category_throughout_leaves_kappa_undefined():
    # p_e = (3·3) / 9 = 1 (and p_o = 1): kappa would be 0/0, so it is None, not 1.
    result = kappa_of_pairs([(V, V)] * 3)
    assert result.expected == 1 and result.observed == 1 and result.kappa is None


def test_raters_each_constant_but_different_is_not_the_undefined_case():
    # A always V, B always U: p_o = 0, p_e = 0 (no shared category): kappa = 0.
    assert kappa_of_pairs([(V, U)] * 4).kappa == 0


def test_no_items_gives_no_figure():
    result = cohen_kappa({})
    assert result.items == 0 and result.observed is None and result.expected is None and result.kappa is None


def test_kappa_does_not_change_when_the_raters_swap():
    table = {(V, V): 6, (V, U): 2, (U, V): 1, (U, U): 3, (U, S): 1, (S, S): 2}
    swapped = {(b, a): n for (a, b), n in table.items()}
    assert cohen_kappa(swapped).kappa == pytest.approx(cohen_kappa(table).kappa)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        cohen_kappa({(V, V): -1})
