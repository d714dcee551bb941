"""Errors the editorial services raise; each carries a message for the person who asked."""


class ReviewError(Exception):
    """A refused request. `message` is meant for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(ReviewError):
    """The actor lacks the right (role, own revision, specialty, assignment)."""


class InvalidState(ReviewError):
    """The transition does not leave the answer's current state."""

    def __init__(self, message: str, *, state: str):
        super().__init__(message)
        self.state = state


class Conflict(ReviewError):
    """Someone else changed the answer since the actor loaded it."""


class InvalidInput(ReviewError):
    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


class Blocked(ReviewError):
    """The action is allowed in principle but something must be done first."""
