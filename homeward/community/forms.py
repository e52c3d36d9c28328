"""Input for the community, with messages a stressed person on a phone understands."""

from __future__ import annotations

from django import forms

BODY_HELP = (
    "Write as you would to a friend. **Bold**, lists with - and links work. "
    "Please don't include anyone's real name, address or prison number."
)
MAX_BODY = 10_000


def _body(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
        error_messages={
            "required": "Write your message.",
            "max_length": f"Your message is too long: keep it under {MAX_BODY:,} characters, "
            "or split it into two.",
        },
    )


class TopicForm(forms.Form):
    title = forms.CharField(
        label="Title",
        min_length=5,
        max_length=120,
        help_text="A few words others will see in the list, e.g. \u201cFirst visit next week: "
        "what should I expect?\u201d",
        error_messages={
            "required": "Give your conversation a title.",
            "min_length": "Make the title a little longer (at least 5 characters).",
            "max_length": "Make the title shorter (at most 120 characters).",
        },
    )
    body = _body("Your message")


class ReplyForm(forms.Form):
    body = _body("Your reply")


class EditForm(forms.Form):
    body = _body("Your message")
