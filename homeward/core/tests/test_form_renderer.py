"""core.forms renders lists of choices, plain inputs, text areas and each field's group in
Python: the markup must be what the templates give (Django's widget templates, our
homeward_field.html): the same elements, attributes, text and escaping (whitespace between tags
may differ, as it means nothing there), for every kind of widget and state."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.html import parse_html

from homeward.core.forms import FAST_WIDGETS, FormRenderer

NASTY = '<script>alert("x")</script> & “quotes” \' " >'
CHOICES = [
    ("", "Any"),
    ("a", "Apples & pears"),
    ("b", NASTY),
    ("Grouped", [("c", "Cherries"), (NASTY, "Dates <b>")]),
    (3, "Three"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    radios = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "wide", "data-x": NASTY, "disabled": True}),
    )
    unlabelled = forms.MultipleChoiceField(
        choices=[("x", "X")],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cols", "hidden": False}),
    )


STATES = {
    "unbound": None,
    "chosen": {"one": "b", "several": ["a", "c"], "boxes": [NASTY, "3"], "radios": "3"},
    "invalid": {"one": "nope", "boxes": ["zzz"], "radios": NASTY},
}


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("field", list(Sample.base_fields))
def test_fast_widgets_give_djangos_markup(field: str, state: str) -> None:
    fast = Sample(STATES[state], renderer=FormRenderer(), auto_id="id_%s")
    slow = Sample(STATES[state], renderer=TemplatesSetting(), auto_id="id_%s")
    ours, djangos = str(fast[field].as_widget()), str(slow[field].as_widget())
    assert parse_html(ours) == parse_html(djangos)
    assert "<script>" not in ours


def test_every_fast_widget_is_covered() -> None:
    forms_ = (Sample, Fields)
    covered = {f.widget.template_name for form in forms_ for f in form.base_fields.values()}
    # input.html is the template the others include; no widget of Django's names it.
    assert set(FAST_WIDGETS) - {"django/forms/widgets/input.html"} <= covered


def test_no_label_wrapping_falls_back_to_the_plain_input() -> None:
    widget = forms.CheckboxSelectMultiple(choices=[("x", "X")])
    widget.option_inherits_attrs = True
    fast = widget.render("pick", ["x"], attrs={"id": "p"}, renderer=FormRenderer())
    slow = widget.render("pick", ["x"], attrs={"id": "p"}, renderer=TemplatesSetting())
    assert parse_html(fast) == parse_html(slow)


def test_other_widgets_still_render_through_templates() -> None:
    widget = forms.SelectDateWidget(years=[2026])
    assert widget.render("day", "2026-01-02", renderer=FormRenderer()) == widget.render(
        "day", "2026-01-02", renderer=TemplatesSetting()
    )


class Templates(TemplatesSetting):
    """Our field group through its template, as it was before core.forms rendered it."""

    form_template_name = FormRenderer.form_template_name
    field_template_name = FormRenderer.field_template_name


def _nasty_number(value: int) -> None:
    if value == 13:
        raise forms.ValidationError(NASTY)


class Fields(forms.Form):
    name = forms.CharField(label=f"Name {NASTY}", help_text="Your <em>own</em> name", max_length=5)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False, validators=[_nasty_number])
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "data-x": NASTY}))
    picture = forms.FileField(required=False, help_text="A photo")
    upload = forms.FileField(required=False, widget=forms.FileInput)
    agree = forms.BooleanField(help_text="Tick it <em>if you agree</em>")  # help text is HTML
    pick = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Choose one")
    several = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    plain = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={"x": True}))
    site = forms.URLField(required=False)
    query = forms.CharField(required=False, widget=forms.SearchInput)
    phone = forms.CharField(required=False, widget=forms.TelInput)
    colour = forms.CharField(required=False, widget=forms.ColorInput)
    at = forms.DateTimeField(required=False)
    clock = forms.TimeField(required=False)


FIELD_STATES = {
    "unbound": None,
    "invalid": {"name": NASTY, "email": "no", "number": "13", "body": "", "pick": "zz"},
    "valid": {
        "name": "Ann",
        "email": "a@example.org",
        "number": "4",
        "when": "2026-01-02",
        "secret": NASTY,
        "body": f"Hello\n{NASTY}",
        "agree": "on",
        "pick": "a",
        "several": ["a", "c"],
        "hidden": NASTY,
        "plain": NASTY,
        "site": "https://example.org/?a=1&b=2",
        "query": NASTY,
        "phone": "01273 000000",
        "colour": "#aabbcc",
        "at": "2026-01-02 10:00",
        "clock": "10:00",
    },
}


@pytest.mark.parametrize("state", sorted(FIELD_STATES))
@pytest.mark.parametrize("field", list(Fields.base_fields))
def test_fast_field_groups_give_the_templates_markup(field: str, state: str) -> None:
    fast = Fields(FIELD_STATES[state], renderer=FormRenderer())
    slow = Fields(FIELD_STATES[state], renderer=Templates())
    if state == "invalid":
        assert not fast.is_valid() and not slow.is_valid()
    ours, theirs = str(fast[field].as_field_group()), str(slow[field].as_field_group())
    assert parse_html(ours) == parse_html(theirs)
    assert "<script>" not in ours
    whole_ours, whole_theirs = str(fast), str(slow)
    assert parse_html(whole_ours) == parse_html(whole_theirs)


def test_a_file_chosen_before_renders_through_the_template() -> None:
    class Earlier:
        url = "/files/a.png?x=1&y=2"

        def __str__(self) -> str:
            return NASTY

    widget = forms.ClearableFileInput()
    fast = widget.render("photo", Earlier(), attrs={"id": "p"}, renderer=FormRenderer())
    slow = widget.render("photo", Earlier(), attrs={"id": "p"}, renderer=TemplatesSetting())
    assert fast == slow
    assert "photo-clear" in fast
