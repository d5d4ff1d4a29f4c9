"""The ASGI application with the chat's clean-up timings cut to seconds.

For tests that kill sockets and servers on real uvicorn processes and wait for the
tidy-up: `World.serve("hjelpelinje.chat.tests.quick_app:application")`. The timings are
module constants read at every use, so setting them here changes nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hjelpelinje.asgi import application
from hjelpelinje.chat import services
from hjelpelinje.chat.sockets import tidy

tidy.TIDY_EVERY = 0.3
tidy.VISITOR_SEEN_EVERY = 0.5
services.VISITOR_UNSEEN_AFTER = dt.timedelta(seconds=2)
services.QUEUED_GONE_AFTER = dt.timedelta(seconds=2)
services.ACTIVE_GONE_AFTER = dt.timedelta(seconds=2)
# The first URL reversal in a process loads every view (a second or two); the tidy-up
# reverses one for the `ended` it sends. Load them now, not while a test's clock runs.
reverse("inquiries:create")

__all__ = ["application"]
