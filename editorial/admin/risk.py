"""The editors' high-alert drug list (`editorial.HighAlertDrug`), read by the risk rules
(editorial/review/risk.py) when a draft is submitted."""

from django.contrib import admin

from editorial.models import HighAlertDrug


@admin.register(HighAlertDrug)
class HighAlertDrugAdmin(admin.ModelAdmin):
    list_display = ["name", "aliases", "note"]
    search_fields = ["name", "aliases"]
