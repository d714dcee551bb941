"""Errors the editorial services raise; each carries a message for the person who asked.

The lowest editorial layer with `editorial.models`: imports nothing of the project.
"""

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, named by its field path (`reason`, `sections[2].body`)."""

    field: str
    message: str


class Invalid(ReviewError):
    """Bad input, with every problem named by its field path.

    The one validation error of the services, the drafting intake and the API:
    the API answers 400 with the problems, a form shows each on its field, a
    command reports them by line.
    """

    def __init__(self, problems: list[Problem], *, detail: str | None = None):
        self.problems = list(problems)
        super().__init__(detail or " ".join(problem.message for problem in self.problems))

    @classmethod
    def on(cls, field: str, message: str) -> "Invalid":
        """One problem with one field."""
        return cls([Problem(field, message)])

    @property
    def fields(self) -> list[str]:
        return [problem.field for problem in self.problems]


class Blocked(ReviewError):
    """The action is allowed in principle but something must be done first."""
