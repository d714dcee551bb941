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
