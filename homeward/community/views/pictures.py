"""Pictures in messages, served to those who may read the message (404 for everyone else,
signed in or not, as for a picture that doesn't exist)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from homeward.community import pictures
from homeward.community.models import PostPicture


@require_safe
def picture(request: HttpRequest, pk: int) -> HttpResponse:
    """The picture (a JPEG, never changed once stored), sent under no file name. The check
    comes first, so even "not modified" is only for readers."""
    found = pictures.get_picture_for(request.user, pk)
    etag = f'"picture-{found.pk}"'
    response = get_conditional_response(request, etag=etag) or _file(found)
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _file(found: PostPicture) -> HttpResponse:
    try:
        with found.file.open("rb") as stored:
            return HttpResponse(stored.read(), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
