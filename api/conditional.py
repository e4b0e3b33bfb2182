"""``ETag`` and ``Last-Modified`` of API answers, known *before* the answer is built.

An answer depends on the public data of one or more namespaces of the page cache
(:mod:`common.page_cache`): demands, contests. Each namespace's version changes whenever what
it publishes changes, so the tag is a digest of those versions, the full path and the API's
format; the time is the moment the current versions were first seen (never earlier than the
change itself). Changes made where no version is bumped (an event renamed in admin) reach the
API as they reach the cached pages: the moment expires with the page cache's timeout and is
part of the tag, so a tag lives at most that long. When the cache cannot tell a version, the
answer has no validators and is always sent whole."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag

# Bumped when the shape of answers changes, so that clients do not keep an old body.
FORMAT = "1"


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime

    def not_modified(self, request):
        """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return self.etag in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and int(self.last_modified.timestamp()) <= since

    def apply(self, response):
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response


def validators_for(request, caches):
    """The validators of ``request``'s answer, from the versions of ``caches``; None when any
    version is unknown."""
    versions, stamps = [], []
    for page_cache in caches:
        version = page_cache.version()
        if version is None:
            return None
        versions.append(version)
        stamps.append(page_cache.remember("api-stamp", (), timezone.now))
    parts = [FORMAT, request.get_full_path(), *versions, *(str(stamp.timestamp())
                                                           for stamp in stamps)]
    digest = hashlib.sha256("\n".join(parts).encode())
    return Validators(etag=quote_etag(digest.hexdigest()[:32]), last_modified=max(stamps))
