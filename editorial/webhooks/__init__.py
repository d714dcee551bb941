"""Telling drafting systems what the board decided: signed webhook deliveries
written with the decision, their attempts, retries and Celery tasks
(`delivery`).

May import `editorial.access`, `editorial.audit`, `editorial.enqueue`,
`editorial.models` and `answers`; never `editorial.review` (it learns of
decisions from audit events).
"""
