# The push's tests run its tasks as the notifications tests do: eagerly, or against a broker
# that is down or real.
from tests.notifications.conftest import (  # noqa: F401
    broker_down,
    eager_celery,
    torch_client,
    with_totp,
)
