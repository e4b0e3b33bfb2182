"""Publicity: Torch staff publish national news, host staff their units'; the rich text is
sanitised (no script under the CSP); scheduled items appear by themselves; list, detail, feed
and the home page show what is published."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import ActivityLog
from common.errors import DomainError
from news.enums import NewsKind
from news.models import NewsItem
from news.services import sanitise, save_item
from tests.demands.public_support import *  # noqa: F403


def _png():
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def _save(actor, **changes):
    values = {"kind": NewsKind.NEWS, "title": "启动仪式", "summary": "", "body": "<p>正文</p>",
              "host_unit": None, "publish_at": timezone.now()}
    values.update(changes)
    return save_item(actor=actor, **values)


def test_sanitiser_keeps_structure_and_drops_script():
    html = sanitise('<p onclick="x()">好<script>alert(1)</script><a href="javascript:x">链</a>'
                    '<img src="/files/abc/" onerror="x()"><style>p{}</style>'
                    '<iframe src="https://evil"></iframe></p>')
    assert "<script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "<iframe" not in html and "<style" not in html
    assert "<p>好" in html and '<img src="/files/abc/">' in html


def test_who_publishes_what(torch_staff, host_organiser, host_unit, other_host_unit):
    national = _save(torch_staff)
    assert national.host_unit is None
    with pytest.raises(DomainError):
        _save(host_organiser)  # national: Torch only
    with pytest.raises(DomainError):
        _save(host_organiser, host_unit=other_host_unit)
    local = _save(host_organiser, host_unit=host_unit)
    with pytest.raises(DomainError):
        save_item(actor=host_organiser, item=national, kind="news", title="改", summary="",
                  body="x", host_unit=host_unit, publish_at=None)
    assert ActivityLog.objects.filter(action="portal.news.created").count() == 2
    assert local.host_unit == host_unit


def test_scheduled_items_appear_by_themselves(client, torch_staff):
    now = timezone.now()
    _save(torch_staff, title="已发布的新闻", publish_at=now - timedelta(minutes=1))
    later = _save(torch_staff, title="定时发布的新闻", publish_at=now + timedelta(hours=1))
    _save(torch_staff, title="草稿新闻", publish_at=None)
    html = client.get("/news/").content.decode()
    assert "已发布的新闻" in html and "定时发布的新闻" not in html and "草稿新闻" not in html
    assert client.get(f"/news/{later.pk}/").status_code == 404
    NewsItem.objects.filter(pk=later.pk).update(publish_at=now - timedelta(seconds=1))
    assert "定时发布的新闻" in client.get("/news/").content.decode()
    assert client.get(f"/news/{later.pk}/").status_code == 200


def test_detail_feed_and_home(client, torch_staff, settings, db):
    settings.SITE_URL = "https://cic.example.org"
    item = _save(torch_staff, title="全国新闻标题", body="<p>内容<script>x</script></p>")
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and "<script>x" not in page.content.decode()
    feed = client.get("/news/feed/").content.decode()
    assert "全国新闻标题" in feed and f"https://cic.example.org/news/{item.pk}/" in feed
    assert "全国新闻标题" in client.get("/").content.decode()


def test_images_are_public_once_published(client, torch_staff, stranger):
    item = _save(torch_staff, publish_at=None,
                 uploads=[SimpleUploadedFile("现场.png", _png(), content_type="image/png")])
    from files.selectors import files_for_object

    key = files_for_object(item).get().uuid
    client.force_login(stranger)
    assert client.get(f"/files/{key}/").status_code == 404
    NewsItem.objects.filter(pk=item.pk).update(publish_at=timezone.now())
    assert client.get(f"/files/{key}/").status_code == 200


def test_the_editor_keeps_what_was_typed(client, host_organiser, host_unit):
    client.force_login(host_organiser)
    response = client.post("/news/manage/new/", {"kind": "news", "title": "保留的标题",
                                                  "host_unit": host_unit.pk})
    assert response.status_code == 400 and "保留的标题" in response.content.decode()
    response = client.post("/news/manage/new/", {
        "kind": "announcement", "title": "甲市公告", "body": "<p>公告</p>",
        "host_unit": host_unit.pk, "publish_at": "2026-01-01T09:00"})
    assert response.status_code == 302
    assert NewsItem.objects.get(title="甲市公告").is_published


def _scripts(html):
    import re

    return re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)


def test_the_visual_editor_is_served_by_the_portal_with_no_inline_script(client, torch_staff):
    from django.contrib.staticfiles import finders

    item = _save(torch_staff, publish_at=None,
                 uploads=[SimpleUploadedFile("现场.png", _png(), content_type="image/png")])
    client.force_login(torch_staff)
    response = client.get(f"/news/manage/{item.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for asset in ("vendor/quill/quill.js", "vendor/quill/quill.snow.css", "js/news_editor.js"):
        assert f'"/static/{asset}"' in html, asset
        assert finders.find(asset), asset
    scripts = _scripts(html)
    assert scripts and all('src="/static/' in attrs and not body.strip()
                           for attrs, body in scripts)
    assert "<style" not in html and " style=" not in html
    assert '<img src="…">' not in html  # the help text shows the tag, it loads nothing
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # Without JavaScript the textarea is the editor: it is on the page with the HTML.
    assert 'data-rich-editor' in html and "&lt;p&gt;正文&lt;/p&gt;" in html
    # The item's uploaded image is offered for insertion, by its portal address.
    from files.selectors import files_for_object

    key = files_for_object(item).get().uuid
    assert f'data-editor-image="/files/{key}/"' in html


def test_what_the_editor_posts_is_sanitised_on_the_server(client, torch_staff):
    client.force_login(torch_staff)
    body = ('<h2 class="ql-align-center">标题</h2><ol><li>一</li></ol><ul><li>二</li></ul>'
            '<p><img src="/files/abc/"><img src="data:image/png;base64,AAAA" onerror="x()">'
            '<a href="javascript:alert(1)">链</a></p><script>alert(1)</script>')
    response = client.post("/news/manage/new/", {"kind": "news", "title": "编辑器",
                                                 "body": body})
    assert response.status_code == 302
    stored = NewsItem.objects.get(title="编辑器").body
    assert "<h2>标题</h2>" in stored and "<ol><li>一</li></ol>" in stored
    assert "<ul><li>二</li></ul>" in stored and '<img src="/files/abc/">' in stored
    for gone in ("class=", "data:", "onerror", "javascript:", "<script"):
        assert gone not in stored, gone
