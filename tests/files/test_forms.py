from django import forms
from django.utils import translation

from files.forms import PrivateFileField
from tests.factories.files import pdf_bytes, png_bytes, upload


class EvidenceForm(forms.Form):
    title = forms.CharField()
    attachment = PrivateFileField(kind="image")


def test_private_file_field_error_next_to_field_and_other_input_kept():
    form = EvidenceForm(data={"title": "现场照片说明"},
                        files={"attachment": upload("photo.png", pdf_bytes())})

    assert not form.is_valid()
    assert list(form.errors) == ["attachment"]
    assert "PDF" in form.errors["attachment"][0]
    assert 'value="现场照片说明"' in str(form["title"])


def test_private_file_field_accepts_valid_upload():
    form = EvidenceForm(data={"title": "x"}, files={"attachment": upload("photo.png",
                                                                         png_bytes())})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["attachment"].read() == png_bytes()


def test_private_file_field_oversize_refused_at_clean_time(settings):
    settings.FILE_LIMITS = {"image": 50}

    form = EvidenceForm(data={"title": "x"}, files={"attachment": upload("photo.png",
                                                                         png_bytes())})

    with translation.override("en"):
        assert not form.is_valid()
        assert "too large" in form.errors["attachment"][0]


def test_private_file_field_announces_accepted_types():
    field = EvidenceForm()["attachment"]

    assert 'accept=".png,.jpg,.jpeg,.webp"' in str(field)
    assert "PNG" in str(field.help_text)


def test_private_file_field_required_error_when_missing():
    form = EvidenceForm(data={"title": "x"})

    assert not form.is_valid()
    assert list(form.errors) == ["attachment"]
