"""The push of published demands: subscriptions by industry field, region and keyword, the
fan-out of one publication to every matching subscriber through the notifications outbox
(``push.fanout``), and webhooks for partner platforms (``push.webhooks``).

It sits above ``demands`` and hooks into publication through ``demands.hooks``: the fan-out's
outbox row is written in the publishing transaction (``fanout.schedule_publication``).
``fanout.fan_out(demand_id)`` runs (or resumes) one publication's fan-out to the end.
"""
