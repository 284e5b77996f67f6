"""Readers' queries keep one plan per connection; the desk's are planned for their values.

With prepared statements (settings.prepared_statements) PostgreSQL may still plan a statement again
on every execution: under its default ``plan_cache_mode = auto`` it does so while plans made for
the values look cheaper than one generic plan, and for nearly every reader query they did. The
generation read cost 0.59 ms planned each time, 0.13 ms with its generic plan; a story page ran
about a millisecond of planning. So the queries of a reader's request (an anonymous GET or HEAD
outside the admin: newsroom.db_router.is_reader_request, marked by serving_reader()) run with
``force_generic_plan``.

The desk keeps ``auto``: its filters ask for rare values of skewed columns (drafts, scheduled and
killed stories among 100,000 published ones), and one generic plan for "status = $1" made those
story lists 9 times slower (26 ms against 229). Management commands and workers keep it too.

The mode is a session setting, changed only when a request of the other kind comes to the
connection (one SET, outside any transaction so a rollback cannot undo it unseen) and remembered
on the driver's connection object, which a reconnect replaces. Text searches are never under a
generic plan (newsroom/db_cursors.py).
"""

from .db_router import is_serving_reader

READER_PLANS = "force_generic_plan"
DESK_PLANS = "auto"  # PostgreSQL's default
_PLANS_ATTRIBUTE = "_newsroom_plan_cache_mode"


def plan_mode(connection):
    """The plan_cache_mode this process last set on `connection` (a Django connection)."""
    return getattr(connection.connection, _PLANS_ATTRIBUTE, DESK_PLANS)


def use_wanted_plans(execute, sql, params, many, context):
    """Execute wrapper (every PostgreSQL connection, newsroom/apps.py): switch the plan mode first
    when the request wants the other one."""
    connection = context["connection"]
    wanted = READER_PLANS if is_serving_reader() else DESK_PLANS
    if plan_mode(connection) != wanted and not connection.in_atomic_block:
        # On the driver's connection: not a query of the page (no wrappers, not counted).
        connection.connection.execute("SELECT set_config('plan_cache_mode', %s, false)", [wanted])
        setattr(connection.connection, _PLANS_ATTRIBUTE, wanted)
    return execute(sql, params, many, context)


def install_plan_switch(sender, connection, **kwargs):
    """connection_created receiver: use_wanted_plans wraps every query of a PostgreSQL `connection`
    with prepared statements (without, a statement carries its values and has no generic plan)."""
    binds_on_server = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor == "postgresql" and binds_on_server and use_wanted_plans not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, use_wanted_plans)
