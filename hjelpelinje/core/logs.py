"""What reaches the log of a request an attacker sends for free: one short line at most.

A bad Host header, a thousand query parameters or a 4,000-character path cost nothing to
send; each used to write a traceback, or the whole path, to the log. The console handler
(settings.LOGGING) passes every record through `ShortLines`: Django's security warnings
(`django.security.*`: a disallowed host, too many fields, a suspicious file name) lose
their traceback, which says nothing an operator needs, and any message is cut to
`MAX_MESSAGE` characters. Real errors keep their tracebacks.
"""

from __future__ import annotations

import logging

MAX_MESSAGE = 300


class ShortLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        message = record.getMessage()
        if len(message) > MAX_MESSAGE:
            cut = len(message) - MAX_MESSAGE
            record.msg = f"{message[:MAX_MESSAGE]}… ({cut} more characters)"
            record.args = None
        return True
