"""core.rows: instances from hand-written SQL hold the same values, converted the same way, as
the ORM's on both engines (make test runs this file on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.accounts.models import User
from homeward.core.models import AuditEvent, NotificationSettings
from homeward.core.rows import Columns, fetch

pytestmark = pytest.mark.django_db

EVENT = Columns(AuditEvent, "e", ("actor", "action", "detail", "created_at"))
ACTOR = Columns(User, "u", ("username", "erased_at", "is_active"))
SETTINGS = Columns(NotificationSettings, "s", ("unread_count", "last_digest_at"))


def _sql() -> str:
    return (
        f"SELECT {EVENT.select()}, {ACTOR.select()}, {SETTINGS.select()},"
        f" EXISTS(SELECT 1 FROM {ACTOR.table()} WHERE u.id = e.actor_id AND u.is_active)"
        f" FROM {EVENT.table()} LEFT JOIN {ACTOR.table()} ON u.id = e.actor_id"
        f" LEFT JOIN {SETTINGS.table()} ON s.user_id = u.id"
        " WHERE e.action = %s ORDER BY e.id"
    )


def _event(actor: User | None, action: str, when: datetime) -> AuditEvent:
    # AuditEvent is append-only: created, never changed.
    return AuditEvent.objects.create(
        actor=actor, action=action, detail={"role": "manager", "n": 2}, created_at=when
    )


def test_values_are_converted_as_the_orm_converts_them(family):
    family.erased_at = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    family.save(update_fields=["erased_at"])
    made = _event(family, "rows.test", datetime(2026, 12, 6, 9, 30, 15, 123456, tzinfo=UTC))

    [(event, actor, settings, active)] = fetch(_sql(), ["rows.test"], EVENT, ACTOR, SETTINGS, bool)

    orm = AuditEvent.objects.get(pk=made.pk)
    assert isinstance(event, AuditEvent) and event.pk == made.pk
    assert event.created_at == orm.created_at and event.created_at.tzinfo is not None
    assert event.detail == {"role": "manager", "n": 2}  # JSON, not its text
    assert event.actor_id == family.pk
    assert isinstance(actor, User) and actor.pk == family.pk
    assert actor.erased_at == datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    assert actor.is_active is True  # a boolean, not SQLite's 1
    assert active is True
    assert settings is None  # no row on the LEFT JOIN: None, not an empty instance


def test_a_row_found_on_a_left_join_is_an_instance(family):
    NotificationSettings.objects.create(user=family, unread_count=4)
    _event(family, "rows.test", datetime(2026, 12, 6, tzinfo=UTC))
    [(_, _, settings, _)] = fetch(_sql(), ["rows.test"], EVENT, ACTOR, SETTINGS, bool)
    assert isinstance(settings, NotificationSettings)
    assert settings.unread_count == 4 and settings.last_digest_at is None


def test_fields_not_read_load_on_access_as_with_only(family):
    _event(family, "rows.test", datetime(2026, 12, 6, tzinfo=UTC))
    [(event, actor, _, _)] = fetch(_sql(), ["rows.test"], EVENT, ACTOR, SETTINGS, bool)
    assert event.get_deferred_fields() == {"target_type", "target_id", "organisation_id"} | {
        "request_id"
    }
    with CaptureQueriesContext(connection) as queries:
        assert actor.email == family.email
    assert len(queries) == 1


def test_an_event_with_no_actor_gives_none_and_false():
    _event(None, "rows.test", datetime(2026, 12, 6, tzinfo=UTC))
    [(event, actor, settings, active)] = fetch(_sql(), ["rows.test"], EVENT, ACTOR, SETTINGS, bool)
    assert event.actor_id is None and actor is None and settings is None
    assert active is False


def test_values_go_in_as_parameters(family):
    _event(family, "rows.test", datetime(2026, 12, 6, tzinfo=UTC))
    hostile = "rows.test' OR '1'='1"
    assert fetch(_sql(), [hostile], EVENT, ACTOR, SETTINGS, bool) == []


def test_shapes_that_do_not_match_the_columns_are_refused(family):
    _event(family, "rows.test", datetime(2026, 12, 6, tzinfo=UTC))
    with pytest.raises(ValueError, match="columns"):
        fetch(_sql(), ["rows.test"], EVENT, ACTOR, bool)


def test_the_primary_key_is_always_read_and_fields_keep_the_models_order():
    chosen = Columns(User, "u", ("erased_at", "username", "is_active")).fields
    assert chosen[0].name == "id"
    order = [f.name for f in User._meta.concrete_fields]
    assert [f.name for f in chosen] == sorted(
        ("id", "erased_at", "username", "is_active"), key=order.index
    )
    assert len(Columns(User, "u").fields) == len(order)


def test_an_instance_is_the_one_from_db_makes(family):
    """fetch makes instances without Model.__init__ (rows._maker); each must be the instance
    from_db makes of the same values: the same fields held, the same deferred, the same state,
    equal, and savable."""
    _event(family, "rows.same", datetime(2026, 12, 6, 9, 30, tzinfo=UTC))
    [(_event_row, actor)] = fetch(
        f"SELECT {EVENT.select()}, {ACTOR.select()} FROM {EVENT.table()}"
        f" JOIN {ACTOR.table()} ON u.id = e.actor_id WHERE e.action = %s",
        ["rows.same"],
        EVENT,
        ACTOR,
    )
    names = [f.attname for f in ACTOR.fields]
    made = User.from_db("default", names, [getattr(actor, n) for n in names])
    assert actor == made and actor.__dict__.keys() == made.__dict__.keys()
    assert actor.get_deferred_fields() == made.get_deferred_fields()
    assert (actor._state.adding, actor._state.db) == (False, "default")
    actor.display_name = "Robin M"
    actor.save(update_fields=["display_name"])
    assert User.objects.get(pk=family.pk).display_name == "Robin M"


def test_a_model_whose_init_is_listened_for_is_made_through_from_db(family):
    from django.db.models import signals

    _event(family, "rows.heard", datetime(2026, 12, 6, 9, 30, tzinfo=UTC))
    heard: list[object] = []

    def listener(sender: type, instance: object, **kwargs: object) -> None:
        heard.append(instance)

    signals.post_init.connect(listener, sender=AuditEvent)
    try:
        [(event,)] = fetch(
            f"SELECT {EVENT.select()} FROM {EVENT.table()} WHERE e.action = %s",
            ["rows.heard"],
            EVENT,
        )
    finally:
        signals.post_init.disconnect(listener, sender=AuditEvent)
    assert heard == [event]
