"""The settings the test suite runs under: the portal's own, in development mode.

``DEBUG`` defaults to off in ``challenge_portal.settings`` (a server started without settings
must not show stack traces), so the suite asks for the development defaults explicitly, as
``make run`` does: the development secret key, ``testserver`` among the allowed hosts, no HTTPS
redirect. Django still runs each test with ``settings.DEBUG = False``. A variable already set
(``DEBUG=false`` in a test that starts a server) wins.
"""

import os

os.environ.setdefault("DEBUG", "true")

from challenge_portal.settings import *  # noqa: E402,F403
