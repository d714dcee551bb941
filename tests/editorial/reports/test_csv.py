from editorial.reports.csv import neutralise, to_text


def test_cells_that_start_like_a_formula_are_quoted():
    assert [neutralise(v) for v in ["=1+1", "+44", "-2", "@SUM(A1)", "\t=x"]] == [
        "'=1+1",
        "'+44",
        "'-2",
        "'@SUM(A1)",
        "'\t=x",
    ]


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("Dose 5 mg") == "Dose 5 mg"
    assert neutralise(-2) == -2
    assert neutralise(None) is None


def test_headers_are_neutralised_too():
    assert to_text(["=cmd"], [["a"]]) == "'=cmd\r\na\r\n"
