"""Model instances from hand-written SQL, for the few queries a busy page runs on every visit
and that cost more to build through the ORM than to run. A topic page's messages, with their
authors and whether the reader liked or bookmarked each, took the ORM about 2 ms to compile
and turn into objects, and the database 0.2 ms to answer.

A query names its columns with `Columns` (a model, a table alias and some of its fields), so
the SQL and the instances cannot drift apart: each value is converted exactly as the ORM
converts it (aware datetimes on SQLite, booleans, JSON), and each instance is an ordinary
model instance (`Model.from_db`) whose other fields load on access, as with `.only()`.
Django's own `Model.objects.raw()` gives one model's instance a row and leaves every other
column as the database gave it; a page's query reads several models a row (a message and its
author, a topic with its category, poll and the reader's place).

Values always go in as parameters; table and column names come from the models' _meta, quoted
by the database's backend. Use this only where a page's measured cost says so: elsewhere the
ORM is clearer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class Columns:
    """Some of a model's fields, read from the table named `alias` in a query, in the model's
    order of fields (`fields`, as `select()` lists them). The primary key is always read: when
    a LEFT JOIN found no row, it is NULL and the row gives None rather than an instance."""

    model: type[Model]
    alias: str
    names: tuple[str, ...] = ()  # field names; none: every field stored in the table
    fields: tuple[Field[Any, Any], ...] = field(init=False, repr=False, compare=False)
    _pk_index: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        meta = self.model._meta
        pk = meta.pk
        if pk is None:  # an abstract model: no table to read
            raise TypeError(f"{self.model.__name__} has no table of its own to read")
        chosen = {pk, *(meta.get_field(name) for name in self.names)} if self.names else None
        # In the model's own order, which Model.from_db expects of a subset of its fields.
        fields = [f for f in meta.concrete_fields if chosen is None or f in chosen]
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "_pk_index", fields.index(pk))

    def select(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """The columns for a SELECT list: `alias."column", ...`."""
        quote = connections[using].ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def table(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """The table with its alias, for FROM or JOIN: `"table" alias`."""
        return f"{connections[using].ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def _reader(self, connection: BaseDatabaseWrapper) -> Callable[[Sequence[Any]], Model | None]:
        model, db, pk_index = self.model, connection.alias, self._pk_index
        names = [f.attname for f in self.fields]
        # What the ORM's compiler asks of each column (SQLCompiler.get_converters): the
        # backend's converters for the field's type, then the field's own from_db_value.
        steps: list[tuple[Any, list[Converter]]] = []
        for each in self.fields:
            column = each.get_col(self.model._meta.db_table)
            own: list[Converter] = each.get_db_converters(connection)  # type: ignore[attr-defined]
            steps.append((column, [*connection.ops.get_db_converters(column), *own]))

        make = _maker(model, db, names)

        def read(values: Sequence[Any]) -> Model | None:
            if values[pk_index] is None:
                return None
            converted = list(values)
            for i, (column, converters) in enumerate(steps):
                for convert in converters:
                    converted[i] = convert(converted[i], column, connection)
            return make(converted)

        return read


def _maker(model: type[Model], db: str, names: list[str]) -> Callable[[list[Any]], Model]:
    """What makes an instance of these fields' values. Model.from_db passes every field to
    Model.__init__, the read ones and a placeholder for each other, and __init__ sets them one
    by one and sends pre_init and post_init: 10 µs a message, most of a list's time in Python
    after its query. The instance it makes holds the read fields' values in its __dict__ and a
    ModelState saying where it came from; the others are absent, so they load on access. This
    makes the same instance directly, unless the model has its own from_db or something
    listens for its init signals (then from_db, which honours both)."""
    if (
        getattr(model.from_db, "__func__", None) is not Model.from_db.__func__  # type: ignore[attr-defined]
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return lambda values: model.from_db(db, names, values)
    new = object.__new__

    def make(values: list[Any]) -> Model:
        instance = new(model)
        instance.__dict__.update(zip(names, values, strict=True))
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        return instance

    return make


Shape = Columns | Callable[[Any], Any]


def as_is(value: Any) -> Any:
    """A shape for a column taken as both engines give it: an integer, text, or None."""
    return value


def fetch(
    sql: str, params: Sequence[Any], *shapes: Shape, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[Any, ...]]:
    """Run one SELECT and give each row as a tuple with one item per shape, in order: a
    `Columns` takes as many columns as it names and gives an instance (or None), a callable
    (such as `bool` for an EXISTS) takes one column and gives what it returns."""
    connection = connections[using]
    readers: list[tuple[int, int, Callable[[Any], Any]]] = []
    start = 0
    for shape in shapes:
        if isinstance(shape, Columns):
            readers.append((start, start + len(shape.fields), shape._reader(connection)))
            start += len(shape.fields)
        else:
            readers.append((start, -1, shape))
            start += 1
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and len(rows[0]) != start:
        raise ValueError(f"The query gives {len(rows[0])} columns; its shapes name {start}")
    return [
        tuple(
            read(row[first:end]) if end >= 0 else read(row[first]) for first, end, read in readers
        )
        for row in rows
    ]
