from answers.models import Status


def test_question_text_cannot_be_edited_in_the_admin_even_by_a_superuser(client, superuser, answer_in):
    question = answer_in(Status.APPROVED).question
    client.force_login(superuser)
    url = f"/admin/answers/question/{question.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()
    client.post(url, {"text": "Rewritten without review", "slug": "x", "specialty": question.specialty_id})
    question.refresh_from_db()
    assert question.text != "Rewritten without review"


def test_questions_are_not_added_or_deleted_in_the_admin(client, superuser, answer_in):
    question = answer_in(Status.SUBMITTED).question
    client.force_login(superuser)
    assert client.get("/admin/answers/question/add/").status_code == 403
    assert client.get(f"/admin/answers/question/{question.pk}/delete/").status_code == 403
