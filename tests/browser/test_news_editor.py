"""The news editor in a real browser: Quill, served from the portal's static files, replaces
the HTML textarea without a CSP violation; bold text and one of the item's uploaded images
typed and inserted visually are saved, through the server's sanitiser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from files.selectors import files_for_object
from news.models import NewsItem
from news.services import save_item
from tests.browser.data import DEMO_PASSWORD, load_contest, verified_user
from tests.browser.test_csp_journey import sign_in_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png():
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_torch_staff_write_bold_text_and_insert_an_uploaded_image(journey):
    load_contest()
    torch = verified_user("torch.editor@demo.cn", roles=["torch_staff"], full_name="火炬编辑")
    torch.is_staff = True
    torch.set_password(DEMO_PASSWORD)
    torch.save(update_fields=["is_staff", "password"])
    item = save_item(actor=torch, item=None, kind="news", title="编辑器新闻", summary="",
                     body="<p>原有正文</p>", host_unit=None, publish_at=None,
                     uploads=[SimpleUploadedFile("现场.png", _png(), content_type="image/png")])
    image = f"/files/{files_for_object(item).get().uuid}/"

    sign_in_with_totp(journey, torch.email)
    journey.goto(f"/news/manage/{item.pk}/")
    page = journey.page
    editor = page.locator(".ql-editor")
    editor.wait_for(state="visible")
    assert not page.locator("textarea[name=body]").is_visible()
    assert "原有正文" in editor.inner_text()

    editor.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.locator(".ql-toolbar button.ql-bold").click()
    page.keyboard.type("加粗的一句")
    page.locator(f"[data-editor-image='{image}']").click()
    assert page.locator(f".ql-editor img[src='{image}']").count() == 1
    journey.shot("news-editor")
    journey.submit("main form[enctype='multipart/form-data'] button[type=submit]")

    body = NewsItem.objects.get(pk=item.pk).body
    assert "原有正文" in body and "<strong>加粗的一句</strong>" in body
    assert f'<img src="{image}">' in body
