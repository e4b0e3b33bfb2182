# The push's tests run its tasks as the notifications tests do: eagerly, against a broker that
# is down, or through a real worker.
from tests.notifications.conftest import (  # noqa: F401
    broker_down,
    eager_celery,
    torch_client,
    with_totp,
)
from tests.notifications.test_worker import live_broker, workers  # noqa: F401
