def test_the_seed_fixture_submits_an_answer(submit):
    answer = submit()
    assert answer.status == "submitted"
