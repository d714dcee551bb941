"""Recompute the readers' search documents of every answer (answers/search.py).

Triggers keep them in step as answers are approved and retracted; run this
after a bulk load that wrote answers before their sections, or to repair.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from answers import search


class Command(BaseCommand):
    help = "Recompute every answer's stored search document (PostgreSQL; nothing to do on SQLite)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: search documents are kept on PostgreSQL only.")
            return
        started = time.perf_counter()
        with transaction.atomic():
            indexed = search.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE answers_answersearch")  # word statistics for the planner
        self.stdout.write(f"Search documents: {indexed} answer(s) indexed in {time.perf_counter() - started:.1f} s.")
