"""Push of published demands (issue "Demands", section "Push"): subscriptions by industry
field, region and keyword, the fan-out of one publication to every matching subscriber
through the outbox, and webhooks for partner platforms (``notifications.webhooks``).

Other apps call these; the modules behind them are imported on first use, so that
``notifications.models`` may import this package's enums without a cycle.

- ``schedule_publication(demand)``: from the publishing transaction; writes the fan-out's
  outbox row and runs the fan-out after commit.
- ``fan_out(demand_id) -> int``: run (or resume) the fan-out of one publication to the end;
  returns how many subscribers have been notified of it, each exactly once.
"""


def schedule_publication(demand):
    from .fanout import schedule_publication as schedule

    return schedule(demand)


def fan_out(demand_id, *, batch_size=None):
    from .fanout import fan_out as run

    return run(demand_id, batch_size=batch_size)


__all__ = ["schedule_publication", "fan_out"]
