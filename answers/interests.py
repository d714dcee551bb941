"""Declared interests and the revisions that mention them, per object and as SQL filters.

A declaration *touches* a revision when its name is mentioned (`answers.mentions`)
in the answer's question, a section's heading or text, or a citation's title.
`touching()` decides it in Python over texts already loaded; `mentioned_in()` is
the same rule as a filter on declarations, for the desk's queues and assign
lists (`editorial.access.rights`), matched by the database against the pattern
stored with each declaration. Both match field by field, on the stored
(Markdown) text. Tests check that the two agree.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from answers import clock
from answers.mentions import mentions
from answers.models import Citation, DeclaredInterest, Question, Revision, Section


def current_q(today=None) -> Q:
    """On declarations: those in force `today` (default: the clock's today)."""
    today = today or clock.today()
    return Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))


def revision_texts(revision: Revision, question_text: str | None = None) -> list[str]:
    """The texts of a revision a declaration may be mentioned in: the question, each section's
    heading and text, each citation's title (prefetched sections and citations are used)."""
    if question_text is None:
        question_text = revision.answer.question.text
    texts = [question_text]
    for section in revision.sections.all():
        texts += [section.heading, section.body]
    texts += [citation.title for citation in revision.citations.all()]
    return texts


def texts_of(question_text: str, sections: Iterable[Section], citations: Iterable[Citation]) -> list[str]:
    texts = [question_text]
    for section in sections:
        texts += [section.heading, section.body]
    return texts + [citation.title for citation in citations]


def touches(declaration: DeclaredInterest, texts: Iterable[str]) -> bool:
    return any(mentions(declaration.pattern, text) for text in texts)


def touching(declarations: Iterable[DeclaredInterest], texts: list[str]) -> list[DeclaredInterest]:
    """The declarations whose name one of `texts` mentions, in their order."""
    return [d for d in declarations if touches(d, texts)]


def mentioned_in(*, revision_ids=None, revision_ref: str | None = None) -> Q:
    """On declarations: those a revision mentions (`touching`, as a filter).

    Either `revision_ids` (any of these revisions) or `revision_ref`, the name of a
    revision id column of the query this filter is nested in (e.g. "pending_revision_id"
    on answers). Each declaration's stored `pattern` is matched (`iregex`) against the
    question, the section headings and texts, and the citation titles.
    """
    pattern = OuterRef("pattern")
    if revision_ids is not None:
        ids = list(revision_ids)
        sections = Section.objects.filter(revision_id__in=ids)
        citations = Citation.objects.filter(revision_id__in=ids)
        questions = Question.objects.filter(answers__revisions__id__in=ids)
    else:
        revision = OuterRef(OuterRef(revision_ref))
        sections = Section.objects.filter(revision_id=revision)
        citations = Citation.objects.filter(revision_id=revision)
        questions = Question.objects.filter(answers__revisions__id=revision)
    return (
        Exists(questions.filter(text__iregex=pattern))
        | Exists(sections.filter(Q(heading__iregex=pattern) | Q(body__iregex=pattern)))
        | Exists(citations.filter(title__iregex=pattern))
    )


def conflicting_declarations(user_ref, *, revision_ids=None, revision_ref: str | None = None):
    """Current declarations of the board member `user_ref` (a user, or an OuterRef to one)
    that the revision(s) mention."""
    return DeclaredInterest.objects.filter(current_q(), profile__user=user_ref).filter(
        mentioned_in(revision_ids=revision_ids, revision_ref=revision_ref)
    )
