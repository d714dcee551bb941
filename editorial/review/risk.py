"""How much harm an error in a revision could do: its risk tier, by rules over its text.

A revision is **high** risk when its question, headings or text hold any of:

- a **dose**: a number with a unit (mg, mcg, µg, g, units, mL, mg/kg, mg/m², IU) or "per kg"
  ("1.3-1.8 mg/m²", "10 mg/kg", "5 units per kg");
- a **special population**: paediatric/pediatric, child(ren), infant(s), neonate(s)/neonatal,
  pregnancy/pregnant, lactation/lactating, breastfeeding, renal or hepatic impairment;
- a drug on the editors' **high-alert list** (`editorial.HighAlertDrug`, seeded after ISMP's list).

Matching is case-insensitive and on word boundaries ("childhood", "2 groups", "Mg" alone do not
match). Every rule that matched is kept with the revision (`RevisionReview.risk_matches`) and shown
in the workspace; the tier itself can be raised or lowered by an editor, with a reason
(`services.revision_risk_set`), and raised, never lowered, by the drafting system (`"risk": "high"`)
and by an edit of a high-risk revision (`services.revision_write`'s `risk_floor`).
"""

import re
from dataclasses import dataclass, field

from answers.models import RiskTier
from editorial.models import HighAlertDrug

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = r"mg/kg|mg/m²|mg/m2|mcg/kg|mcg|µg|μg|mg|g|units?|mL|ml|IU"
DOSE = re.compile(
    rf"(?<![\w.]){_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?\s*(?:{_UNIT})(?![\w/²])(?:\s+per\s+kg\b)?"
    rf"|(?<![\w.]){_NUMBER}\s*(?:\w+\s+)?per\s+kg\b",
    re.IGNORECASE,
)
POPULATION = re.compile(
    r"\b(?:pa?ediatrics?|child|children|infants?|neonates?|neonatal|pregnancy|pregnant|lactation|lactating"
    r"|breast-?feeding|(?:renal|hepatic)\s+impairment)\b",
    re.IGNORECASE,
)
# How many matches are kept per revision (the tier needs one; people read a few).
MAX_MATCHES = 20


@dataclass
class Assessment:
    tier: str = RiskTier.STANDARD
    matches: list[dict] = field(default_factory=list)


def _drug_pattern() -> re.Pattern | None:
    names = sorted({n for drug in HighAlertDrug.objects.all() for n in drug.names}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def assess(*, question: str, sections: list[dict]) -> Assessment:
    """The tier of a draft's content and every rule that matched (question, then each section)."""
    drugs = _drug_pattern()
    rules = [("dose", DOSE), ("population", POPULATION)] + ([("high_alert_drug", drugs)] if drugs else [])
    places = [("question", question)] + [(s["heading"], f"{s['heading']}\n{s['body']}") for s in sections]
    matches, seen = [], set()
    for where, text in places:
        for rule, pattern in rules:
            for found in pattern.finditer(text):
                key = (rule, found.group(0).lower())
                if key not in seen and len(matches) < MAX_MATCHES:
                    seen.add(key)
                    matches.append({"rule": rule, "text": " ".join(found.group(0).split()), "where": where})
    return Assessment(tier=RiskTier.HIGH if matches else RiskTier.STANDARD, matches=matches)


RULE_LABELS = {
    "dose": "Dose",
    "population": "Special population",
    "high_alert_drug": "High-alert drug",
    "drafting_system": "Marked high-risk by the drafting system",
    "edited_revision": "The revision edited was high risk",
}
