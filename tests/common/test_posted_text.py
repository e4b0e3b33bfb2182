"""Free text read straight from a POST loses its NUL characters, which PostgreSQL refuses."""

from django.test import RequestFactory

from common.http import posted_text


def test_posted_text_drops_nul_and_cuts_to_length():
    request = RequestFactory().post("/", {"reason": "结束\x00委托" * 3})
    assert posted_text(request, "reason") == "结束委托" * 3
    assert posted_text(request, "reason", max_length=4) == "结束委托"
    assert posted_text(request, "missing") == ""
    assert posted_text(request, "missing", default=None) is None
