"""What happened: the append-only, hash-chained audit trail (`trail`), the
hand-over of each written event to the capabilities that react to it
(`effects`: notifications, webhooks; subscribed in `EditorialConfig.ready()`),
and each event as the sentence people read (`describe`).

May import `answers`, `editorial.models` and `editorial.errors`; never a
capability or an entry point.
"""
