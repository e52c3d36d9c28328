"""The sign-in name a member chooses doubles as the name others see, so it allows spaces and
the characters people use in names, and nothing that could be mistaken for markup or a link."""

from __future__ import annotations

from django.core.validators import RegexValidator

display_name_validator = RegexValidator(
    regex=r"^[A-Za-z0-9][A-Za-z0-9 ._'\-]{1,28}[A-Za-z0-9.]$",
    message=(
        "Use 3 to 30 letters or numbers. Spaces, full stops, dashes, underscores and "
        "apostrophes are fine in the middle."
    ),
)

username_validators = [display_name_validator]
