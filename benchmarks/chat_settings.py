"""Settings for the chat benchmark's server: production settings (with test keys), and a
Redis connection pool large enough for a thousand sockets on one process.

redis-py's default pool holds 100 connections and refuses the 101st at once; with many
chats starting together the channel layer needs more. redis-py 8 also reads with a 5 s
socket timeout by default, the same as channels-redis's 5 s blocking pop, so an idle
receive can time out and take its consumer down; the socket timeout must be longer.
Production should set the same (see the README's chat section).
"""

from __future__ import annotations

import os

from hjelpelinje.test_settings import *  # noqa: F403

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": os.environ["REDIS_URL"],
                    "max_connections": 2000,
                    "socket_timeout": 30,
                }
            ]
        },
    }
}
