"""A member adds a picture to a reply on their phone, with an accessibility scan on every page:
a missing description is asked for beside the field (the words kept), the picture then shows in
the conversation through its checked address, and a new member sees it and when they can add
their own."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from homeward.accounts.factories import DEMO_PASSWORD
from homeward.accounts.models import User
from homeward.community import factories, services
from homeward.community.models import Topic, TrustLevel
from homeward.core.testing.browser import PHONE, OpenPage, next_page, sign_in_through_page

pytestmark = pytest.mark.browser

DESCRIPTION = "Daffodils by the shed"


@pytest.fixture
def garden(transactional_db: None, trusted_family: User, tmp_path, settings) -> Topic:
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)
    visits = factories.make_category("Visits and keeping in touch", slug="visits")
    return services.create_topic(
        trusted_family, visits, title="Our garden", body="Spring is coming."
    )


def _choose_picture(page: Page) -> None:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (240, 200, 40)).save(out, "JPEG")
    chosen: FilePayload = {"name": "garden.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}
    page.get_by_label("Picture 1", exact=True).set_input_files(files=chosen)


def test_a_member_adds_a_described_picture_and_others_see_it(
    phone: Page, open_page: OpenPage, garden: Topic, trusted_family: User, family: User
) -> None:
    sign_in_through_page(
        phone, trusted_family.username, DEMO_PASSWORD, next_path=garden.get_absolute_url()
    )
    phone.get_by_label("Your reply").fill("Here it is, at last.")
    _choose_picture(phone)
    with next_page(phone) as arrival:  # no description yet
        phone.get_by_role("button", name="Post reply").click()
    assert arrival.status == 400
    expect(phone.get_by_text("Describe the picture in a few words").first).to_be_visible()
    expect(phone.get_by_label("Your reply")).to_have_value("Here it is, at last.")
    expect(phone.get_by_text("please choose them again")).to_be_visible()

    _choose_picture(phone)
    phone.get_by_label("Describe picture 1 for someone who can't see it").fill(DESCRIPTION)
    with next_page(phone):
        phone.get_by_role("button", name="Post reply").click()
    picture = phone.get_by_role("img", name=DESCRIPTION)
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.decode().then(() => img.naturalWidth)") == 600

    # A new member reads it too, and learns when pictures open up for them.
    other = open_page(PHONE, mobile=True)
    sign_in_through_page(other, family.username, DEMO_PASSWORD, next_path=garden.get_absolute_url())
    expect(other.get_by_role("img", name=DESCRIPTION)).to_be_visible()
    expect(other.get_by_text("You can add pictures once")).to_be_visible()
    expect(other.get_by_label("Picture 1", exact=True)).to_have_count(0)
