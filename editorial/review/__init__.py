"""The board's review of an answer.

- `services`: the decisions (start review, approve, re-approve, request
  changes, reject, retract, assign, mark due), each one transaction with its
  audit event;
- `checks`: what a reviewer records along the way: citation verdicts,
  waivers, comments, and what still blocks approval;
- `selectors`: the queues, the desk counts and the review page's data;
- `diff`: what changed between the live and the pending revision;
- `sweeps`: the daily re-review sweep (a Celery task).

May import `answers`, `editorial.models`, `editorial.errors`,
`editorial.access` and `editorial.audit`.
"""
