"""Who may do what: the editorial roles (`roles`) and the rights over each
decision (`rights`).

May import `answers`, `editorial.models` and `editorial.errors`; imported by
every capability and entry point, never importing them.
"""
