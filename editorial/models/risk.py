"""The editors' list of high-alert drugs, read by the risk rules (editorial/review/risk.py)."""

from django.db import models


class HighAlertDrug(models.Model):
    """A drug whose mention makes a revision high-risk (after ISMP's high-alert medications)."""

    name = models.CharField(max_length=120, unique=True, help_text="Generic name or class, e.g. warfarin.")
    aliases = models.CharField(
        max_length=500, blank=True, help_text="Other names (brands, spellings), separated by commas."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "high-alert drug"

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *(a.strip() for a in self.aliases.split(",") if a.strip())]
