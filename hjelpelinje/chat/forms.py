from __future__ import annotations

from django import forms

from hjelpelinje.chat.models import CannedResponse, ChatSettings


class ChatSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ChatSettings
        fields = [
            "max_chats_per_counsellor",
            "unanswered_seconds",
            "retention_days",
            "max_queue",
        ]


class CannedResponseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CannedResponse
        fields = ["title", "body", "position"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
