"""Telling people: the notification outbox written with each decision
(`outbox`, with its Celery tasks), who hears about what and sending each
e-mail once (`deliveries`), the reminder and digest sweeps (`sweeps`), and
each user's choice of e-mails (`preferences`, a page).

May import `editorial.access`, `editorial.audit`, `editorial.enqueue`,
`editorial.models` and `answers`; never `editorial.review` (it learns of
decisions from audit events).
"""
