"""The Celery broker as the kit sees it: is it reachable, and pruning the embedded one."""

from __future__ import annotations

from network_crm.celery import app


def broker_status() -> str:
    """Says "ok", or why the broker can't be reached, within a few seconds (the connection
    timeouts in settings.py), so /health/ does not hang when the broker is down."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # kombu raises many kinds; all mean "not reachable"
        return f"unreachable: {type(exc).__name__}"


def broker_prune(*, broker_url: str) -> int:
    """kombu's SQLAlchemy transport marks consumed messages invisible but never deletes them."""
    if not broker_url.startswith("sqla+"):
        return 0
    import sqlalchemy  # only the embedded broker needs it; a Redis deployment never loads it

    engine = sqlalchemy.create_engine(broker_url.removeprefix("sqla+"))
    try:
        with engine.begin() as conn:
            if not sqlalchemy.inspect(conn).has_table("kombu_message"):
                return 0
            result = conn.execute(sqlalchemy.text("DELETE FROM kombu_message WHERE visible = 0"))
            return result.rowcount or 0
    finally:
        engine.dispose()
