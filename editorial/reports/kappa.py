"""Cohen's kappa: how far two raters agree beyond what chance would give.

Each item was put in one category by rater A and one by rater B. With n items,

- observed agreement  p_o = (items both put in the same category) / n
- chance agreement    p_e = sum over categories k of (a_k / n) * (b_k / n),
  where a_k and b_k are the number of items A and B put in k (their marginals)
- kappa = (p_o - p_e) / (1 - p_e)

1 is perfect agreement, 0 agreement no better than chance, below 0 worse.

p_e == 1 happens only when both raters put every item in one and the same
category (then p_o == 1 too): kappa is 0/0. Nothing tells agreement from
chance there, so kappa is **undefined** (None), not 1; the observed agreement
(100%) still shows. No items at all: every figure is None.

Computed in integers (kappa = (n·agreed - S) / (n² - S), S = sum a_k·b_k), so
p_e == 1 is an exact test, not a float comparison. Pure: no database.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    items: int
    agreed: int
    observed: float | None  # p_o
    expected: float | None  # p_e
    kappa: float | None  # None: no items, or p_e == 1 (see the module)

    @property
    def disagreed(self) -> int:
        return self.items - self.agreed


def cohen_kappa(table: Mapping[tuple[str, str], int]) -> Agreement:
    """Kappa from a contingency table: {(A's category, B's category): number of items}.

    Categories neither rater used need not appear (they add nothing to p_e).
    """
    n = 0
    agreed = 0
    a_marginal: Counter = Counter()
    b_marginal: Counter = Counter()
    for (a, b), count in table.items():
        if count < 0:
            raise ValueError(f"A count cannot be negative: {count} for {(a, b)!r}.")
        n += count
        if a == b:
            agreed += count
        a_marginal[a] += count
        b_marginal[b] += count
    if n == 0:
        return Agreement(items=0, agreed=0, observed=None, expected=None, kappa=None)
    chance = sum(a_marginal[k] * b_marginal[k] for k in a_marginal)  # S = n² · p_e
    kappa = None if chance == n * n else (n * agreed - chance) / (n * n - chance)
    return Agreement(items=n, agreed=agreed, observed=agreed / n, expected=chance / (n * n), kappa=kappa)


def kappa_of_pairs(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """Kappa from the items one by one: (A's category, B's category) each."""
    return cohen_kappa(Counter(pairs))
