"""Demo data for the guide: built through the services, and safe to build twice."""

from __future__ import annotations

from homeward.core.models import Notification
from homeward.prisons.factories import seed_prisons
from homeward.prisons.models import Alert, Follow, Prison, Tip


def test_seed_prisons_builds_tips_follows_and_an_alert_once(db, family, peer_moderator, worker_a):
    seed_prisons([family, peer_moderator], worker_a)
    seed_prisons([family, peer_moderator], worker_a)

    assert Prison.objects.count() == 172
    assert Tip.objects.count() == 6
    assert Tip.objects.pending().filter(author=family).count() == 3  # a new member's tips wait
    assert Follow.objects.count() == 6
    assert Alert.objects.count() == 1
    assert Notification.objects.filter(title="News about visiting Lewes").count() == 2
