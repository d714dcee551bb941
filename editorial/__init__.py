"""The editorial review: everything board members, editors, staff and
drafting systems use. One package per capability, layered (import-linter
checks it, see pyproject.toml):

- entry points: `admin` (the review desk), `api` (the drafting API),
  `reports`, `demo`, `management` (commands), `templatetags`, `urls`;
- capabilities: `drafting` over `review`; `notify` and `webhooks` beside them;
- foundations: `audit` (the trail and its effects) and `access` (roles, rights);
- `models` and `errors` at the bottom.

`answers` (the reader site) never imports this package.
"""
