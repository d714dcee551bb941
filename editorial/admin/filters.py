"""List filters of the answer queue. Each reads its rule from `editorial.review.selectors`."""

from django.contrib import admin

from editorial.access.roles import is_board_member
from editorial.review import selectors


class DeskFilter(admin.SimpleListFilter):
    """A board member's own queues; the admin index links here with its counts."""

    title = "my desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        if not is_board_member(request.user):
            return []
        return [(name, label) for name, (label, _) in selectors.DESK_QUEUES.items()]

    def queryset(self, request, queryset):
        queue = selectors.DESK_QUEUES.get(self.value())
        if queue is None or not is_board_member(request.user):
            return queryset
        return queryset.filter(queue[1](request.user))


class AssignedFilter(admin.SimpleListFilter):
    title = "reviewer"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(reviewer=request.user)
        if self.value() == "nobody":
            return queryset.filter(reviewer__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Past the review SLA of the current state, or past the next review date."""

    title = "deadline"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(selectors.overdue_q())
        return queryset
