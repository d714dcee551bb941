"""Drafts as drafting systems send them: the JSON contract and its rules, intake
(idempotent on the draft's external id), and drafting systems claiming
readers' follow-up questions (`intake`).

May import `editorial.review` (a draft enters the review as a submission),
`editorial.access`, `editorial.audit`, `editorial.models` and `answers`.
"""
