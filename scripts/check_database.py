"""Fail fast, with a clear message, when the test database server is not reachable."""
import os
import sys

import dj_database_url
import psycopg


def main():
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"make test needs PostgreSQL; DATABASE_URL is {url!r}.")
    try:
        psycopg.connect(
            host=config["HOST"] or "127.0.0.1",
            port=config["PORT"] or 5432,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        sys.exit(
            f"Cannot reach PostgreSQL at {config['HOST']}:{config['PORT']} ({exc}).\n"
            "Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) "
            "or set DATABASE_URL to a reachable server."
        )


if __name__ == "__main__":
    main()
