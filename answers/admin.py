from django.contrib import admin

from answers.models import Citation, Question, Revision, Section, Specialty


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin only shows: written elsewhere (immutable revisions, the audit trail, drafts received)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions arrive with drafts; their text is what readers see as the
    title, so it only changes through a reviewed draft, never here."""

    list_display = ["text", "specialty", "created_at"]
    list_filter = ["specialty"]
    search_fields = ["text"]
    list_select_related = ["specialty"]
    readonly_fields = ["text", "slug", "specialty", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["position", "heading", "body"]


class CitationInline(ReadOnlyInline):
    model = Citation
    fields = ["number", "title", "authors", "journal", "year", "pmid", "doi", "url"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Revisions are immutable: the admin only shows them."""

    list_display = ["__str__", "source_label", "created_by", "created_at"]
    list_select_related = ["created_by", "answer"]
    inlines = [SectionInline, CitationInline]
