import json

import pytest
from django.core.management import CommandError, call_command

from answers.models import Revision
from editorial.models import DraftReceipt


def _write(tmp_path, lines) -> str:
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return str(path)


def _import(path, *, user="drafter"):
    call_command("import_drafts", path, user=user, no_progress=True)


@pytest.fixture
def drafts_file(tmp_path, draft_payload, drafter, specialty):
    def _drafts_file(count=3, *, broken: dict[int, object] | None = None) -> str:
        lines = [
            draft_payload(external_id=f"bulk-{i}", question=f"Question number {i} about iron?") for i in range(count)
        ]
        for index, line in (broken or {}).items():
            lines[index] = line
        return _write(tmp_path, lines)

    return _drafts_file


def test_it_imports_every_line(drafts_file, capsys):
    _import(drafts_file(3))

    assert sorted(Revision.objects.values_list("external_id", flat=True)) == ["bulk-0", "bulk-1", "bulk-2"]
    assert DraftReceipt.objects.count() == 3
    assert "3 imported, 0 already present, 0 failed" in capsys.readouterr().out


def test_a_rerun_imports_nothing_twice(drafts_file, capsys):
    path = drafts_file(3)
    _import(path)

    _import(path)

    assert Revision.objects.count() == 3
    assert "0 imported, 3 already present, 0 failed" in capsys.readouterr().out


def test_a_rerun_after_a_partial_import_finishes_the_job(tmp_path, drafts_file, capsys):
    full = drafts_file(4)
    first_two = tmp_path / "partial.jsonl"
    first_two.write_text("".join(open(full).readlines()[:2]))
    _import(str(first_two))

    _import(full)

    assert Revision.objects.count() == 4
    assert "2 imported, 2 already present, 0 failed" in capsys.readouterr().out


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_imported(drafts_file, draft_payload, capsys):
    bad_doi = draft_payload(external_id="bulk-bad", question="Another question?")
    bad_doi["citations"][1]["doi"] = "not-a-doi"
    path = drafts_file(4, broken={1: "{oops", 3: bad_doi})

    with pytest.raises(CommandError, match="2 imported, 0 already present, 2 failed"):
        _import(path)

    err = capsys.readouterr().err
    assert "line 2: not valid JSON" in err
    assert "line 4: citations[1].doi: Not a DOI" in err
    assert sorted(Revision.objects.values_list("external_id", flat=True)) == ["bulk-0", "bulk-2"]


def test_a_line_refused_by_the_review_state_writes_nothing(tmp_path, draft_payload, drafter, specialty, capsys):
    same_question = [draft_payload(external_id="first"), draft_payload(external_id="second")]

    with pytest.raises(CommandError, match="1 failed"):
        _import(_write(tmp_path, same_question))

    assert "line 2: Cannot submit a revision of this answer: it is submitted." in capsys.readouterr().err
    assert list(Revision.objects.values_list("external_id", flat=True)) == ["first"]


def test_the_same_external_id_with_other_content_is_reported(tmp_path, draft_payload, drafter, specialty, capsys):
    lines = [draft_payload(external_id="dup"), draft_payload(external_id="dup", question="Something else?")]

    with pytest.raises(CommandError):
        _import(_write(tmp_path, lines))

    assert "line 2: external_id 'dup' was already submitted with other content." in capsys.readouterr().err


def test_it_refuses_a_user_who_may_not_submit(drafts_file, reader):
    with pytest.raises(CommandError, match="Only drafting systems and editors"):
        _import(drafts_file(1), user="rita")
    assert not Revision.objects.exists()


def test_it_shows_a_progress_bar(drafts_file, capsys):
    call_command("import_drafts", drafts_file(3), user="drafter")

    assert "3/3" in capsys.readouterr().err
