"""Input for the community, with messages a stressed person on a phone understands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString

from homeward.community import conf, pictures, policies
from homeward.community.models.forum import NotificationLevel
from homeward.community.models.polls import MAX_OPTIONS, MIN_OPTIONS
from homeward.core.images import PictureProblem
from homeward.core.jinja2 import render_fragment

if TYPE_CHECKING:
    from homeward.accounts.models import User

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


# The picture slots of forms nobody has filled in, by everything they depend on (pictures_html).
_EMPTY_PICTURES: dict[tuple[Any, ...], SafeString] = {}

PICTURE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


class WithPictures(forms.Form):
    """A message form with picture slots (a file and its description each, up to
    COMMUNITY_PICTURES_PER_MESSAGE) for a member who may add pictures. Each picture chosen is
    checked and re-encoded here (pictures.process; nothing is stored) and counts against the
    member's limit; `new_pictures` holds them for the service. Templates show the slots with
    `pictures_html`, apart from the other fields (`visible_fields` leaves them out)."""

    def __init__(self, *args: Any, member: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.new_pictures: list[pictures.NewPicture] = []
        allowed = member is not None and pictures.allowed(member)
        # A new member sees when pictures open up instead (pictures_html).
        self.pictures_later = member is not None and not allowed and policies.limits_apply(member)
        self.picture_slots = conf.pictures_per_message() if allowed else 0
        if self.picture_slots and "body" in self.fields:
            # A picture may say it all: the text is needed only when no picture comes with it.
            self.fields["body"].required = False
        accept = ",".join(PICTURE_TYPES[t] for t in PICTURE_TYPES if t in conf.picture_types())
        self._accept = accept
        for n in range(1, self.picture_slots + 1):
            self.fields[f"picture_{n}"] = forms.FileField(
                label=f"Picture {n}",
                required=False,
                widget=forms.FileInput(attrs={"accept": accept}),
                error_messages={
                    "empty": "That file is empty. Choose a photo or picture.",
                    "invalid": "We couldn't read that file. Choose a photo or picture.",
                },
            )
            self.fields[f"picture_{n}_description"] = forms.CharField(
                label=f"Describe picture {n} for someone who can't see it",
                required=False,
                max_length=300,
                help_text="A few words, e.g. \u201cMy daughter's drawing of our dog\u201d.",
                error_messages={"max_length": "Keep the description under 300 characters."},
            )

    def visible_fields(self) -> list[forms.BoundField]:
        return [f for f in super().visible_fields() if not f.name.startswith("picture_")]

    def picture_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"picture_{n}"], self[f"picture_{n}_description"])
            for n in range(1, self.picture_slots + 1)
        ]

    def pictures_to_choose_again(self) -> bool:
        """A page shown again with a problem has lost the files chosen (browsers don't keep
        them): the member is asked to choose them again."""
        return bool(self.errors) and any(
            self.files.get(f"picture_{n}") for n in range(1, self.picture_slots + 1)
        )

    def picture_hint(self) -> str:
        return pictures.hint()

    def pictures_html(self) -> SafeString:
        """The picture slots (community/_pictures.jinja), or when pictures open up for a new
        member. A form nobody has filled in yet shows the same slots to everyone with the same
        settings, so those are rendered once per process: sixteen fields through Django's
        form machinery cost a topic's last page about 1.5 ms."""
        if self.is_bound or not self.picture_slots:
            return render_fragment("community/_pictures.jinja", {"form": self})
        key = (
            type(self),
            self.prefix,
            self.auto_id,
            self.picture_slots,
            self._accept,
            self.picture_hint(),
        )
        html = _EMPTY_PICTURES.get(key)
        if html is None:
            html = _EMPTY_PICTURES[key] = render_fragment(
                "community/_pictures.jinja", {"form": self}
            )
        return html

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = []
        for n in range(1, self.picture_slots + 1):
            upload = data.get(f"picture_{n}")
            description = " ".join(data.get(f"picture_{n}_description", "").split())
            if upload and not description and f"picture_{n}_description" not in self.errors:
                self.add_error(
                    f"picture_{n}_description",
                    "Describe the picture in a few words, for people who can't see it.",
                )
            elif description and not upload and f"picture_{n}" not in self.errors:
                self.add_error(
                    f"picture_{n}", "Choose the picture to go with this description, or clear it."
                )
            if upload:
                chosen.append((n, upload, description))
        if (
            "body" in self.fields
            and not self.fields["body"].required
            and "body" not in self.errors
            and not data.get("body", "").strip()
            and not chosen
        ):
            self.add_error("body", "Write your message, or add a picture.")
        if chosen and self.member is not None:
            wait = pictures.upload_wait(self.member)
            if wait:
                self.add_error(f"picture_{chosen[0][0]}", wait)
                return data
            pictures.count_uploads(self.member, len(chosen))
            for n, upload, description in chosen:
                try:
                    self.new_pictures.append(pictures.process(upload, description))
                except PictureProblem as problem:
                    self.add_error(f"picture_{n}", str(problem))
        return data


class TopicForm(WithPictures):
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
    # An optional poll (shown under the first message; see community/polls.py).
    poll_question = forms.CharField(
        label="Poll question (optional)",
        required=False,
        max_length=200,
        help_text="Leave empty for no poll.",
        error_messages={"max_length": "Make the question shorter (at most 200 characters)."},
    )
    poll_options = forms.CharField(
        label="Poll answers, one on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Between 2 and 10 answers.",
    )
    poll_multiple = forms.BooleanField(
        label="Members may choose more than one answer", required=False
    )
    poll_closes = forms.DateTimeField(
        label="Close the poll on (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text="Leave empty to keep it open until you close it.",
        error_messages={"invalid": "Give a date and time, e.g. 2026-12-01 18:00."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        question = data.get("poll_question", "").strip()
        lines = [" ".join(line.split()) for line in data.get("poll_options", "").splitlines()]
        options = [line for line in lines if line]
        if not question:
            if options:
                self.add_error(
                    "poll_question", "Add the question your poll asks, or remove the answers."
                )
            return data
        if len(options) < MIN_OPTIONS:
            self.add_error("poll_options", "Give at least 2 answers, one on each line.")
        elif len(options) > MAX_OPTIONS:
            self.add_error("poll_options", f"Give at most {MAX_OPTIONS} answers.")
        elif len({o.lower() for o in options}) != len(options):
            self.add_error("poll_options", "Each answer needs to be different.")
        elif any(len(o) > 100 for o in options):
            self.add_error("poll_options", "Keep each answer under 100 characters.")
        closes = data.get("poll_closes")
        if closes is not None and closes <= timezone.now():
            self.add_error("poll_closes", "Choose a time in the future.")
        data["poll_option_list"] = options
        return data

    def poll_spec(self) -> Any:
        """The poll to make with the conversation, or None."""
        from homeward.community.polls import PollSpec

        data = self.cleaned_data
        if not data.get("poll_question", "").strip():
            return None
        return PollSpec(
            question=data["poll_question"],
            options=data["poll_option_list"],
            multiple=data["poll_multiple"],
            closes_at=data.get("poll_closes"),
        )


class ReplyForm(WithPictures):
    body = _body("Your reply")


class EditForm(forms.Form):
    body = _body("Your message")


class ConversationForm(forms.Form):
    to = forms.CharField(
        label="To",
        max_length=500,
        help_text="The names of the members you want to talk to, separated by commas.",
        error_messages={"required": "Add at least one member to talk to."},
    )
    subject = forms.CharField(
        label="Subject",
        max_length=120,
        error_messages={
            "required": "Give your conversation a subject.",
            "max_length": "Make the subject shorter (at most 120 characters).",
        },
    )
    body = _body("Your message")


class MessageForm(forms.Form):
    body = _body("Your message")


class IgnoreForm(forms.Form):
    name = forms.CharField(
        label="Member's name",
        max_length=150,
        error_messages={"required": "Type the name of the member."},
    )
    kind = forms.ChoiceField(
        label="What to do",
        choices=[
            ("mute", "Mute: no notifications about their messages"),
            ("block", "Block: they can't send you private messages or add you to one"),
            ("none", "Stop muting or blocking them"),
        ],
        widget=forms.RadioSelect,
        initial="mute",
    )


def _reason_field(label: str) -> forms.ChoiceField:
    from homeward.community.models.moderation import FlagReason

    return forms.ChoiceField(
        label=label,
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what's wrong."},
    )


class FlagForm(forms.Form):
    reason = _reason_field("What's wrong with this message?")
    note = forms.CharField(
        label="Anything the moderators should know (optional; needed for \u201csomething else\u201d)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep it under 500 characters."},
    )


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("approve", "hide", "delete", "edit", "silence", "suspend")]
    )
    body = forms.CharField(required=False, max_length=MAX_BODY, widget=forms.Textarea)
    days = forms.IntegerField(required=False, min_value=1, max_value=365)
    reason = forms.CharField(required=False, max_length=300)


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(
        label="Action",
        choices=[
            ("note", "Add a note for other moderators"),
            ("silence", "Silence (read only)"),
            ("suspend", "Suspend"),
            ("lift", "Lift silence or suspension"),
            ("level", "Set their trust level (staff only)"),
        ],
        widget=forms.RadioSelect,
    )
    level = forms.TypedChoiceField(
        label="Trust level",
        required=False,
        coerce=int,
        choices=[
            (0, "New member"),
            (1, "Member"),
            (2, "Regular member"),
            (3, "Trusted member"),
            (4, "Community leader (can close, pin and move conversations)"),
        ],
    )
    lock = forms.BooleanField(
        label="Lock this level (the daily review won't change it)", required=False
    )
    text = forms.CharField(
        label="Note or reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A reason is shown to the member; a note never is.",
    )
    days = forms.IntegerField(
        label="For how many days",
        required=False,
        min_value=1,
        max_value=365,
        help_text="For a suspension, leave empty for the next step (1, 7, 30, then 365 days).",
        error_messages={"min_value": "At least one day.", "max_value": "At most 365 days."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "level" and data.get("level") in (None, ""):
            self.add_error("level", "Choose the trust level to set.")
        return data


class WatchedWordForm(forms.Form):
    word = forms.CharField(
        label="Word or phrase",
        max_length=100,
        help_text="Any case. Use * for any ending, e.g. \u201cend it*\u201d.",
        error_messages={"required": "Type a word or phrase to watch for."},
    )
    action = forms.ChoiceField(
        label="When someone writes it",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from homeward.community.models import WatchedWord

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = WatchedWord.Action.choices  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Move to",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the categories listed."},
    )

    def __init__(self, categories: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class SupportLineForm(forms.Form):
    name = forms.CharField(
        label="Who",
        max_length=80,
        help_text="e.g. \u201cOur helpline\u201d or \u201cSamaritans\u201d.",
        error_messages={"required": "Give the name of the service."},
    )
    how = forms.CharField(
        label="How to reach them",
        max_length=200,
        help_text="e.g. \u201cCall 01273 000000, Monday to Friday, 9am to 5pm\u201d.",
        error_messages={"required": "Say how to reach them."},
    )


class SplitForm(forms.Form):
    from_number = forms.IntegerField(
        label="Move messages from number",
        min_value=2,
        help_text="That message and every one after it move to the new conversation.",
        error_messages={
            "required": "Give the number of the first message to move.",
            "min_value": "The first message stays: start from 2 or later.",
        },
    )
    title = forms.CharField(
        label="Title of the new conversation",
        max_length=120,
        error_messages={"required": "Give the new conversation a title."},
    )


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Notifications for this conversation",
        coerce=int,
        choices=[(level.value, level.label) for level in reversed(NotificationLevel)],
        error_messages={"invalid_choice": "Choose one of the levels listed."},
    )


class DraftForm(forms.Form):
    """A draft is whatever was typed so far: nothing is required, nothing is too short."""

    title = forms.CharField(required=False, max_length=500)
    body = forms.CharField(required=False, max_length=MAX_BODY * 2, strip=False)
