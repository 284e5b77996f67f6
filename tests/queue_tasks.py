"""Tasks for the queue tests: module-level, as the Tasks API requires."""

from pipeline.queue import background_task

calls = []  # (name, argument) per run; the tests' in-process worker shares this list


@background_task(retries=2, backoff=0)
def flaky(key, failures):
    """Fails `failures` times for `key`, then succeeds."""
    calls.append(("flaky", key))
    if sum(1 for name, k in calls if name == "flaky" and k == key) <= failures:
        raise RuntimeError(f"planned failure for {key}")
    return key


@background_task(retries=1, backoff=0, queue_name="mail")
def always_fails(key):
    calls.append(("always_fails", key))
    raise ValueError(f"broken for good: {key}")
