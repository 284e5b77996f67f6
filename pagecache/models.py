"""The content generation: counters that database triggers bump on every change readers could see.

See pagecache/generation.py for how it is read and why it lives in the database.
"""

from django.db import models


class GenerationSlot(models.Model):
    """One of a few counters whose sum is the content generation.

    Several slots, not one row: a writing transaction locks the slot it bumps until it commits, and
    the trigger takes any slot nobody else holds (SKIP LOCKED), so concurrent writers never wait
    for each other or deadlock on the counter.
    """

    slot = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "pagecache_generation"

    def __str__(self):
        return f"slot {self.slot}: {self.value}"
