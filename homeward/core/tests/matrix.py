"""The permission matrix: for every named URL, what each of the named people gets.

test_permission_matrix.py walks the URLconf and checks every named URL against this table, so a
new URL without an entry here fails the suite. Apps added later keep their own table in
`homeward/<app>/tests/matrix.py` with an `ENTRIES` dict (and, if they need one, a `KNOWN_BUGS`
list); `collect()` finds and merges them. Build entries from the profiles below and override
single roles where a page differs:

    from homeward.core.tests.matrix import SIGNED_IN, Entry, ceilings, override

    ENTRIES = {"forum:index": Entry(get=SIGNED_IN, queries=ceilings(member=6, staff=9))}

Query ceilings are the number of SQL queries a GET that answers 200 makes today, per role: a
page that starts making more fails. Lower a ceiling whenever a page gets cheaper.

Django admin ("admin:" namespace) is generated from the admin registry by its own test; only the
platform-admin ceilings for its pages live here (ADMIN_QUERIES).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.http import int_to_base36

from homeward.accounts import factories
from homeward.accounts.models import JoinBatch, JoinCode, Organisation, User
from homeward.core.models import DataRequest, Notification
from homeward.core.notifications import notify

# The people (conftest.py's `people` fixture), in the order the tests list them.
ROLES = (
    "anonymous", "family", "trusted_family", "peer_moderator", "worker_a", "advocate_a",
    "manager_a", "orgadmin_a", "worker_b", "platform_admin",
)  # fmt: skip
SIGNED_IN_ROLES = ROLES[1:]
MEMBERS = ("family", "trusted_family", "peer_moderator")  # signed in, not staff
STAFF_A = ("worker_a", "advocate_a", "manager_a", "orgadmin_a")  # staff of organisation A
STAFF = (*STAFF_A, "worker_b")  # staff of an organisation (A or B)


# Answers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a request gets. For a redirect, `to` is a path ("/...") or a URL name; `next_here`
    means the target carries ?next=<the requested URL> (and no other query); without it the
    target has no query at all. `to` may also be a function of the Scene, for targets that only
    exist after the request (a batch the request created)."""

    status: int
    to: str | Callable[[Scene], str] | None = None
    next_here: bool = False

    def __post_init__(self) -> None:
        if self.status >= 500:
            raise ValueError("no page may answer 5xx: fix the page, don't expect the error")
        if (self.to is not None) != (300 <= self.status < 400):
            raise ValueError("a redirect needs `to`, and only a redirect may have it")

    def target(self, scene: Scene) -> str:
        to = self.to
        if callable(to):
            return to(scene)
        assert to is not None
        return to if to.startswith("/") else reverse(to)

    def __str__(self) -> str:
        if self.to is None:
            return str(self.status)
        to = "<computed>" if callable(self.to) else self.to
        return f"{self.status} → {to}{'?next=<here>' if self.next_here else ''}"


OK = Answer(200)
NOT_FOUND = Answer(404)
NOT_ALLOWED = Answer(405)
TO_LOGIN = Answer(302, "account_login", next_here=True)
TO_REAUTHENTICATE = Answer(302, "account_reauthenticate", next_here=True)
TO_HOME = Answer(302, "home")


def redirect(to: str | Callable[[Scene], str], *, next_here: bool = False) -> Answer:
    return Answer(302, to, next_here=next_here)


Answers = Mapping[str, Answer]


def answers(
    *,
    anonymous: Answer,
    members: Answer,
    staff: Answer,
    worker_b: Answer | None = None,
    platform_admin: Answer | None = None,
    **roles: Answer,
) -> dict[str, Answer]:
    """One answer per role, by group: members (signed in, not staff), staff (of organisation A;
    organisation B's worker_b and the platform admin get the same unless given), then any
    single role by name."""
    table = {"anonymous": anonymous}
    table |= dict.fromkeys(MEMBERS, members)
    table |= dict.fromkeys(STAFF_A, staff)
    table["worker_b"] = worker_b or staff
    table["platform_admin"] = platform_admin or staff
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return table | roles


def override(profile: Answers, **roles: Answer) -> dict[str, Answer]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return {**profile, **roles}


# Everyone gets the page.
PUBLIC = answers(anonymous=OK, members=OK, staff=OK)
# A page for visitors: anyone signed in is sent to the home page.
VISITORS = answers(anonymous=OK, members=TO_HOME, staff=TO_HOME)
# Anyone signed in; anonymous visitors are sent to sign in and come back.
SIGNED_IN = answers(anonymous=TO_LOGIN, members=OK, staff=OK)
# Signed in, and asked for the password again first (allauth's reauthentication).
REAUTHENTICATE = answers(anonymous=TO_LOGIN, members=TO_REAUTHENTICATE, staff=TO_REAUTHENTICATE)
# Staff pages (/staff/): nobody else learns they exist.
STAFF_ONLY = answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=OK)
# Staff pages about their own organisation: a platform admin has none.
ORG_STAFF = override(STAFF_ONLY, platform_admin=NOT_FOUND)
# One of organisation A's records: organisation B's staff get 404, as for a page that isn't there.
ORG_A_RECORD = override(ORG_STAFF, worker_b=NOT_FOUND)


# Query ceilings --------------------------------------------------------------------------------


def ceilings(
    *,
    anonymous: int | None = None,
    member: int | None = None,
    staff: int | None = None,
    platform_admin: int | None = None,
    **roles: int,
) -> dict[str, int]:
    """Query ceilings by group (member: family, trusted_family, peer_moderator; staff: the four
    staff of organisation A and worker_b), then single roles by name."""
    table: dict[str, int] = {}
    if anonymous is not None:
        table["anonymous"] = anonymous
    if member is not None:
        table |= dict.fromkeys(MEMBERS, member)
    if staff is not None:
        table |= dict.fromkeys(STAFF, staff)
    if platform_admin is not None:
        table["platform_admin"] = platform_admin
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return table | roles


# The world each test builds --------------------------------------------------------------------

LEWES = "Lewes visitors' centre"  # where organisation A hands out cards
WANDSWORTH = "Wandsworth visits hall"  # where organisation B does


class Scene:
    """The named people plus the records a page needs, made on first use inside one test."""

    def __init__(self, people: Mapping[str, Any], org_a: Organisation, org_b: Organisation):
        self.people = people
        self.org_a = org_a
        self.org_b = org_b

    def user(self, role: str) -> User | None:
        user: User | None = self.people[role].user
        return user

    def signed_in(self) -> list[User]:
        return [u for u in (self.user(r) for r in SIGNED_IN_ROLES) if u is not None]

    @cached_property
    def batch_a(self) -> JoinBatch:
        creator = self.user("worker_a")
        assert creator is not None
        return factories.make_join_batch(self.org_a, creator, distribution_point=LEWES, size=3)

    @cached_property
    def batch_b(self) -> JoinBatch:
        creator = self.user("worker_b")
        assert creator is not None
        return factories.make_join_batch(self.org_b, creator, distribution_point=WANDSWORTH, size=3)

    @cached_property
    def join_code(self) -> JoinCode:
        code = self.batch_a.codes.first()
        assert code is not None
        return code

    @cached_property
    def notes(self) -> dict[str, Notification]:
        """A notification for every signed-in person, titled so it can be told apart."""
        notes = {}
        for role in SIGNED_IN_ROLES:
            user = self.user(role)
            assert user is not None
            notes[role] = notify(user, kind="reply", title=f"A reply for {role}", url="/")
        return notes


# Entries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrongMethod:
    """A method the endpoint refuses (405) even for a person allowed to use it."""

    method: str
    role: str


@dataclass(frozen=True)
class PostCheck:
    """A state-changing POST: what each role gets, and whose request changes `state`.

    `state` reads the records the POST may change, before and after the request; for roles in
    `changes` they must differ, for everyone else they must not."""

    data: Callable[[Scene], dict[str, Any]]
    state: Callable[[Scene], object]
    answers: Answers
    changes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    get: Answers
    queries: Mapping[str, int] = field(default_factory=dict)
    kwargs: Callable[[Scene], dict[str, Any]] | None = None
    setup: Callable[[Scene], object] | None = None
    # Text that must not be on the page a role gets (someone else's records).
    absent: Callable[[Scene, str], Iterable[str]] | None = None
    wrong_method: WrongMethod | None = None
    post: PostCheck | None = None

    def url(self, name: str, scene: Scene) -> str:
        return reverse(name, kwargs=self.kwargs(scene) if self.kwargs else None)


@dataclass(frozen=True)
class KnownBug:
    """A wrong answer the application gives today. The tests it names are marked
    xfail(strict=True): they expect the correct answer and start failing once it is fixed,
    so the fix removes the bug from this list. `checks` are test names: matrix, post,
    wrong_method, growth, admin."""

    reason: str
    names: frozenset[str]
    roles: frozenset[str]
    checks: frozenset[str]


def _batch_a(scene: Scene) -> dict[str, Any]:
    return {"pk": scene.batch_a.pk}


def _both_batches(scene: Scene) -> None:
    scene.batch_a  # noqa: B018 (made on first use)
    scene.batch_b  # noqa: B018


def _other_organisations_batches(scene: Scene, role: str) -> list[str]:
    if role == "worker_b":
        return [scene.batch_a.distribution_point]
    return [scene.batch_b.distribution_point]


def _others_notes(scene: Scene, role: str) -> list[str]:
    return [note.title for other, note in scene.notes.items() if other != role]


def _notes(scene: Scene) -> None:
    scene.notes  # noqa: B018


def _all_users(scene: Scene) -> list[tuple[Any, ...]]:
    return list(
        User.objects.order_by("pk").values_list("pk", "display_name", "is_active", "erased_at")
    )


def _batch_counts(scene: Scene) -> tuple[int, int]:
    return (
        JoinBatch.objects.filter(organisation=scene.org_a).count(),
        JoinBatch.objects.filter(organisation=scene.org_b).count(),
    )


def _newest_batch(scene: Scene) -> str:
    newest = JoinBatch.objects.order_by("-pk").first()
    assert newest is not None
    return reverse("accounts:cards_detail", args=[newest.pk])


def _new_batch_form(scene: Scene) -> dict[str, Any]:
    return {
        "distribution_point": "Brighton magistrates' court",
        "size": 2,
        "uses_per_code": 1,
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


def _authenticators(scene: Scene) -> list[int]:
    from allauth.mfa.models import Authenticator

    return list(Authenticator.objects.order_by("pk").values_list("pk", flat=True))


ENTRIES: dict[str, Entry] = {
    # core ----------------------------------------------------------------------------------
    # Members see panels from other apps: the visiting guides they follow and the latest
    # conversations they may read (one query each).
    "home": Entry(get=PUBLIC, queries=ceilings(anonymous=0, member=7, staff=10, platform_admin=9)),
    "healthz": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=4, member=7, staff=10, platform_admin=9),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "notifications": Entry(
        get=SIGNED_IN,
        setup=_notes,
        absent=_others_notes,
        queries=ceilings(member=5, staff=8, platform_admin=7),
    ),
    "notifications_read": Entry(
        get=answers(anonymous=TO_LOGIN, members=NOT_ALLOWED, staff=NOT_ALLOWED),
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            # Everyone asks to mark the family member's notification read: only they can.
            data=lambda s: {"id": [s.notes["family"].pk]},
            state=lambda s: Notification.objects.get(pk=s.notes["family"].pk).read_at,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect("notifications"),
                staff=redirect("notifications"),
            ),
            changes=frozenset({"family"}),
        ),
    ),
    # The search page with no words yet: the sections' filter forms (community's categories).
    "search": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=6, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "family"),
    ),
    # accounts: joining ---------------------------------------------------------------------
    "accounts:join_start": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("put", "anonymous"),
    ),
    "accounts:join": Entry(
        get=VISITORS,
        kwargs=lambda s: {"code": s.join_code.code},
        # the code itself, and the guessing limit's counter (kept in the database by default):
        # a place taken before the view runs, given back because the code was right
        queries=ceilings(anonymous=3),
        wrong_method=WrongMethod("put", "anonymous"),
        post=PostCheck(
            data=lambda s: {
                "display_name": "Bramble Auntie 5",
                "password": "kettle on the windowsill",
                "email": "",
            },
            state=lambda s: (
                JoinCode.objects.get(pk=s.join_code.pk).uses,
                User.objects.count(),
            ),
            answers=answers(anonymous=redirect("accounts:welcome"), members=TO_HOME, staff=TO_HOME),
            changes=frozenset({"anonymous"}),
        ),
    ),
    "accounts:welcome": Entry(get=SIGNED_IN, queries=ceilings(member=4, staff=7, platform_admin=6)),
    # accounts: a member's own account ------------------------------------------------------
    "accounts:settings": Entry(
        get=SIGNED_IN,
        setup=_notes,
        queries=ceilings(member=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"display_name": "Quiet Harbour 44", "email_frequency": "daily"},
            state=_all_users,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect("accounts:settings"),
                staff=redirect("accounts:settings"),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    # The page shows at once; the action asks for the password again first.
    "accounts:export": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: DataRequest.objects.count(),
            answers=REAUTHENTICATE,
        ),
    ),
    "accounts:delete": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(data=lambda s: {"confirm": "on"}, state=_all_users, answers=REAUTHENTICATE),
    ),
    # accounts: staff -----------------------------------------------------------------------
    "accounts:staff_home": Entry(get=STAFF_ONLY, queries=ceilings(staff=9, platform_admin=9)),
    "accounts:cards_list": Entry(
        get=ORG_STAFF,
        setup=_both_batches,
        absent=_other_organisations_batches,
        queries=ceilings(staff=10),
    ),
    "accounts:cards_new": Entry(
        get=ORG_STAFF,
        queries=ceilings(staff=9),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=_new_batch_form,
            state=_batch_counts,
            answers=override(ORG_STAFF, **dict.fromkeys(STAFF, redirect(_newest_batch))),
            changes=frozenset(STAFF),
        ),
    ),
    "accounts:cards_detail": Entry(
        get=ORG_A_RECORD, kwargs=_batch_a, setup=_both_batches, queries=ceilings(staff=11)
    ),
    "accounts:cards_print": Entry(
        get=ORG_A_RECORD, kwargs=_batch_a, setup=_both_batches, queries=ceilings(staff=12)
    ),
    # GET asks "are you sure?"; POST stops the cards.
    "accounts:cards_revoke": Entry(
        get=ORG_A_RECORD,
        kwargs=_batch_a,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: JoinBatch.objects.get(pk=s.batch_a.pk).revoked_at,
            answers=override(
                ORG_A_RECORD,
                **dict.fromkeys(
                    STAFF_A,
                    redirect(lambda s: reverse("accounts:cards_detail", args=[s.batch_a.pk])),
                ),
            ),
            changes=frozenset(STAFF_A),
        ),
    ),
    # allauth (mounted at /accounts/) -------------------------------------------------------
    "account_login": Entry(get=VISITORS, queries=ceilings(anonymous=0)),
    "account_signup": Entry(get=VISITORS, queries=ceilings(anonymous=0)),
    "account_logout": Entry(
        get=answers(anonymous=TO_HOME, members=OK, staff=OK),
        queries=ceilings(member=4, staff=7, platform_admin=6),
    ),
    "account_inactive": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "account_reauthenticate": Entry(
        get=SIGNED_IN, queries=ceilings(member=10, staff=13, platform_admin=12)
    ),
    "account_email": Entry(get=SIGNED_IN, queries=ceilings(member=5, staff=9, platform_admin=8)),
    "account_email_verification_sent": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "account_change_password": Entry(
        get=SIGNED_IN, queries=ceilings(member=4, staff=7, platform_admin=6)
    ),
    "account_set_password": Entry(
        # Everyone here has a password already, so allauth offers to change it instead.
        get=answers(
            anonymous=TO_LOGIN,
            members=redirect("account_change_password"),
            staff=redirect("account_change_password"),
        )
    ),
    "account_reset_password": Entry(
        get=PUBLIC, queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6)
    ),
    "account_confirm_login_code": Entry(
        # Sign-in by code is off: there is never a code to confirm.
        get=answers(anonymous=redirect("account_login"), members=TO_HOME, staff=TO_HOME)
    ),
    "account_confirm_email": Entry(
        # A key that doesn't exist: allauth shows "this link is invalid".
        get=PUBLIC,
        kwargs=lambda s: {"key": "not-a-real-key"},
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
    ),
    "account_reset_password_from_key_done": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "account_reset_password_from_key": Entry(
        # A real member's id with a wrong key: allauth shows "bad token".
        get=PUBLIC,
        kwargs=lambda s: {"uidb36": int_to_base36(s.people["family"].user.pk), "key": "wrong-key"},
        queries=ceilings(anonymous=2, member=6, staff=9, platform_admin=8),
    ),
    "account_reset_password_done": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "mfa_index": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "mfa_authenticate": Entry(
        # Only part-way through a sign-in; otherwise allauth sends people on.
        get=answers(anonymous=redirect("account_login"), members=TO_HOME, staff=TO_HOME)
    ),
    "mfa_reauthenticate": Entry(
        # Members have no authenticator, so allauth asks for their password instead.
        get=answers(anonymous=TO_LOGIN, members=redirect("account_reauthenticate"), staff=OK),
        queries=ceilings(staff=13, platform_admin=12),
    ),
    # People in the matrix signed in moments ago, which counts as confirming the password for
    # two-step settings (AccountAdapter.is_reauthentication_required).
    # Staff already have an authenticator, so allauth shows them how to remove it instead.
    "mfa_activate_totp": Entry(
        get=override(
            SIGNED_IN, **dict.fromkeys((*STAFF, "platform_admin"), redirect("mfa_deactivate_totp"))
        ),
        queries=ceilings(member=9),
    ),
    "mfa_deactivate_totp": Entry(
        get=override(SIGNED_IN, **dict.fromkeys(MEMBERS, NOT_FOUND)),
        queries=ceilings(staff=9, platform_admin=8),
        # Removing the authenticator works for its owner (who then meets the staff gate again).
        post=PostCheck(
            data=lambda s: {},
            state=_authenticators,
            answers=answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("mfa_index")),
            changes=frozenset((*STAFF, "platform_admin")),
        ),
    ),
    "mfa_view_recovery_codes": Entry(
        get=override(SIGNED_IN, **dict.fromkeys(MEMBERS, NOT_FOUND)),
        queries=ceilings(staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "mfa_generate_recovery_codes": Entry(
        get=SIGNED_IN, queries=ceilings(member=5, staff=8, platform_admin=7)
    ),
    "mfa_download_recovery_codes": Entry(
        get=override(SIGNED_IN, **dict.fromkeys(MEMBERS, NOT_FOUND)),
        queries=ceilings(staff=8, platform_admin=7),
    ),
}

# Platform admin's query ceilings on the admin pages the admin test visits (index, changelists).
# Platform admins hold every model permission (User.has_perm), at no query cost.
ADMIN_QUERIES: dict[str, int] = {
    "admin:index": 8,
    "admin:account_emailaddress_changelist": 10,
    "admin:accounts_joinbatch_changelist": 11,
    "admin:accounts_organisation_changelist": 10,
    "admin:accounts_user_changelist": 10,
    "admin:auth_group_changelist": 10,
    "admin:core_auditevent_changelist": 12,
    "admin:core_datarequest_changelist": 10,
    "admin:django_tasks_database_dbtaskresult_changelist": 12,
    "admin:mfa_authenticator_changelist": 10,
}

KNOWN_BUGS: list[KnownBug] = []


# Merging every app's table ---------------------------------------------------------------------


def collect() -> tuple[dict[str, Entry], list[KnownBug], dict[str, int]]:
    """Every app's matrix (`homeward.<app>.tests.matrix`), merged. A URL name in two tables is
    an error."""
    entries: dict[str, Entry] = {}
    bugs: list[KnownBug] = []
    admin_queries: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("homeward."):
            continue
        module_name = f"{config.name}.tests.matrix"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name in (module_name, f"{config.name}.tests"):
                continue
            raise
        for name, entry in getattr(module, "ENTRIES", {}).items():
            if name in entries:
                raise ValueError(f"{name} has an entry in two matrix tables")
            entries[name] = entry
        bugs.extend(getattr(module, "KNOWN_BUGS", ()))
        admin_queries |= getattr(module, "ADMIN_QUERIES", {})
    return entries, bugs, admin_queries
