"""Read counts per story and hour, written in bulk from the cache (see readership.counting)."""

from django.db import models

from articles.models import Article


class ReadCount(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    hour = models.DateTimeField(help_text="Start of the hour (UTC) the reads fall in.")
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="readcount_one_row_per_hour")]
        indexes = [models.Index(fields=["hour", "article"], name="readcount_hour_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}: {self.reads}"
