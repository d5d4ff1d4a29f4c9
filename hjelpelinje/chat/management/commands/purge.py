"""Daily clean-up: delete chat transcripts whose retention period has run out.

A scheduler runs `hjelpelinje purge` once a day (see docs/chat-protocol.md, "Transcripts").
Chats whose visitor went away long ago are ended first, so their transcripts go too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hjelpelinje.chat.services import chat_purge


class Command(BaseCommand):
    help = "Delete chat transcripts past their retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        count = chat_purge()
        self.stdout.write(f"chat: {count} transcript(s) deleted")
