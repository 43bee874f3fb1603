"""The embedded SQLite broker keeps consumed messages forever unless pruned."""

from __future__ import annotations

import sqlalchemy
from kombu import Connection

from network_crm.broker import broker_prune


def test_prune_deletes_consumed_messages_and_keeps_waiting_ones(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url) as connection:
        queue = connection.SimpleQueue("digests")
        for index in range(3):
            queue.put({"n": index})
        consumed = queue.get(timeout=5)
        consumed.ack()
        queue.close()
    engine = sqlalchemy.create_engine(url.removeprefix("sqla+"))
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM kombu_message")).scalar() == 3

    assert broker_prune(broker_url=url) == 1

    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM kombu_message")).scalar() == 2
    engine.dispose()
    # The two waiting messages are still delivered after pruning.
    with Connection(url) as connection:
        queue = connection.SimpleQueue("digests")
        assert sorted(queue.get(timeout=5).payload["n"] for _ in range(2)) == [1, 2]
        queue.close()


def test_prune_is_a_no_op_for_redis(tmp_path):
    assert broker_prune(broker_url="redis://127.0.0.1:1/0") == 0
