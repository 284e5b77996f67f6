from pipeline.queue import background_task

from .counting import flush_reads, prune_read_counts


@background_task(retries=0)
def flush_read_counts():
    """The scheduler's minutely job (was cron): read counts from the cache into ReadCount rows."""
    written = flush_reads()
    pruned = prune_read_counts()
    return {"written": written, "pruned": pruned}
