"""The reader's audience: a cookie set by a plain form post, choosing the answer written for them."""

from django.urls import reverse

from answers.views import AUDIENCE_COOKIE

PATIENT_TEXT = "Take iron tablets as your doctor advises [1]."


def _patient_version(approved, answer):
    return approved(
        question=answer.question.text,
        audience="patient",
        sections=[{"heading": "What to know", "body": PATIENT_TEXT}],
    )


def test_choosing_an_audience_sets_a_cookie_and_redirects_back_without_javascript(client, approved):
    answer = approved()
    response = client.post(reverse("answers:personalize"), {"audience": "patient", "next": answer.get_absolute_url()})
    assert response.status_code == 303
    assert response["Location"] == answer.get_absolute_url()
    cookie = response.cookies[AUDIENCE_COOKIE]
    assert cookie.value == "patient"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 30 * 24 * 3600


def test_the_cookie_selects_the_answer_written_for_that_audience(client, approved):
    answer = approved()
    _patient_version(approved, answer)
    client.cookies[AUDIENCE_COOKIE] = "patient"
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Take iron tablets" in html
    assert "Oral iron first" not in html
    assert "Medical Disclaimer" in html and "Professional Medical Disclaimer" not in html
    assert 'value="patient" id="id_audience_1" required checked' in html


def test_without_an_approved_version_for_the_audience_the_default_is_shown_with_a_note(client, approved):
    answer = approved()
    client.cookies[AUDIENCE_COOKIE] = "student"
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Oral iron first" in html
    assert "No answer written for the description “Student” has been approved yet" in html
    assert "“Healthcare professional”" in html


def test_a_pending_version_for_the_audience_does_not_replace_the_approved_default(client, approved, answer_in):
    answer = approved()
    answer_in("submitted", question=answer.question.text, audience="patient")
    client.cookies[AUDIENCE_COOKIE] = "patient"
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Oral iron first" in html
    assert "has been approved yet" in html


def test_an_explicit_audience_link_wins_over_the_cookie(client, approved):
    answer = approved()
    patient = _patient_version(approved, answer)
    client.cookies[AUDIENCE_COOKIE] = "professional"
    assert patient.get_absolute_url().endswith("?audience=patient")
    assert "Take iron tablets" in client.get(patient.get_absolute_url()).content.decode()


def test_an_unknown_audience_is_refused_naming_the_field(client, db):
    response = client.post(reverse("answers:personalize"), {"audience": "astronaut", "next": "/answers/"})
    assert response.status_code == 400
    assert b"audience" in response.content
    assert AUDIENCE_COOKIE not in response.cookies


def test_a_garbage_cookie_falls_back_to_the_default_audience(client, approved):
    answer = approved()
    client.cookies[AUDIENCE_COOKIE] = "<script>"
    response = client.get(answer.get_absolute_url())
    assert response.status_code == 200
    assert "has been approved yet" not in response.content.decode()


def test_personalize_never_redirects_to_another_site(client, db):
    response = client.post(reverse("answers:personalize"), {"audience": "patient", "next": "https://evil.example/"})
    assert response.status_code == 303
    assert response["Location"] == reverse("answers:list")


def test_personalize_needs_a_csrf_token(approved):
    from django.test import Client

    answer = approved()
    response = Client(enforce_csrf_checks=True).post(
        reverse("answers:personalize"), {"audience": "patient", "next": answer.get_absolute_url()}
    )
    assert response.status_code == 403
