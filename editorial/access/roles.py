"""The editorial roles, as Django groups created by a data migration."""

from answers.models import BOARD_GROUP

BOARD = BOARD_GROUP  # "Medical Advisory Board"
EDITORS = "Editors"
DRAFTING = "Drafting systems"

ALL_GROUPS = (BOARD, EDITORS, DRAFTING)


def _in_group(user, name: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_vetted_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._vetted_groups = cache
    return name in cache


def is_board_member(user) -> bool:
    """Medical review needs board membership: being a superuser is not enough."""
    return _in_group(user, BOARD)


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser) or _in_group(user, EDITORS)


def is_drafting_system(user) -> bool:
    return _in_group(user, DRAFTING)


# Model permissions a group gets beyond those of the groups' data migration (editorial 0002),
# for models added later: granted after every `migrate` (post_migrate, EditorialConfig.ready),
# once Django has created their permissions.
LATER_PERMISSIONS = {
    EDITORS: [("editorial", f"{action}_highalertdrug") for action in ("view", "add", "change", "delete")],
}


def grant_later_permissions(**kwargs) -> None:
    """post_migrate handler: give existing groups the permissions of LATER_PERMISSIONS (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for name, perms in LATER_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in perms:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
