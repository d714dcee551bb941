"""schema.org `MedicalWebPage` data for an answer page, as JSON-LD.

The block is data (`application/ld+json`), never executed, so the page's
Content-Security-Policy needs no inline-script exception for it; it is still
escaped so drafted text cannot close the element.
"""

import json

from django.utils.safestring import SafeString, mark_safe

from answers.models import Audience

SITE_NAME = "Vetted"

_AUDIENCES = {
    Audience.PROFESSIONAL: {"@type": "MedicalAudience", "audienceType": "Clinician"},
    Audience.PATIENT: {"@type": "MedicalAudience", "audienceType": "Patient"},
    Audience.STUDENT: {"@type": "EducationalAudience", "educationalRole": "student"},
}

# What json_script escapes: nothing in the data can end the <script> element.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _citation(citation) -> dict:
    item = {"@type": "ScholarlyArticle", "name": citation.title}
    if citation.authors:
        item["author"] = citation.authors
    if citation.journal:
        item["isPartOf"] = {"@type": "Periodical", "name": citation.journal}
    if citation.year:
        item["datePublished"] = str(citation.year)
    same_as = []
    if citation.pmid:
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/")
    if citation.doi:
        same_as.append(f"https://doi.org/{citation.doi}")
    if same_as:
        item["sameAs"] = same_as
    return item


def _signer(signature, board_url: str) -> dict:
    person = {"@type": "Person", "name": signature.printed_name}
    profile = getattr(signature.signer, "reviewer_profile", None)
    if profile is not None:
        person["url"] = f"{board_url}#{profile.slug}"
    if signature.credentials:
        person["honorificSuffix"] = signature.credentials
    return person


def medical_web_page(*, answer, citations, url: str, board_url: str, pending: bool, signatures=()) -> dict:
    question = answer.question
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": question.text,
        "headline": question.text,
        "url": url,
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "audience": _AUDIENCES.get(answer.audience, _AUDIENCES[Audience.PROFESSIONAL]),
        "about": {"@type": "MedicalEntity", "name": question.specialty.name},
        "specialty": {"@type": "MedicalSpecialty", "name": question.specialty.name},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "citation": [_citation(c) for c in citations],
    }
    if pending:
        # Not reviewed yet: claim no review.
        return data
    if answer.last_updated:
        data["dateModified"] = answer.last_updated.isoformat()
    if answer.last_reviewed:
        data["lastReviewed"] = answer.last_reviewed.isoformat()
    if signatures:
        # Each signer of the revision shown, once, as they signed.
        signers = {}
        for signature in signatures:
            signers.setdefault(signature.signer_id, _signer(signature, board_url))
        data["reviewedBy"] = list(signers.values())
        return data
    profile = getattr(answer.approved_by, "reviewer_profile", None) if answer.approved_by_id else None
    if profile is not None:
        reviewer = {"@type": "Person", "name": profile.display_name, "url": f"{board_url}#{profile.slug}"}
        if profile.credentials:
            reviewer["honorificSuffix"] = profile.credentials
        data["reviewedBy"] = reviewer
    return data


def as_script(data: dict) -> SafeString:
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')
