"""Demo of host registration: the two demo host organisers administer their units (so they
can invite colleagues), and a demo applicant's application to join the Shenzhen unit waits
for Torch staff (torch@demo.cn) with its authorisation letter. Idempotent."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contests import registration
from contests.models import HostApplication, HostMembership, HostUnit

from .seed_demo import DEFAULT_PASSWORD

APPLICANT = ("host.applicant@demo.cn", "承办单位申请演示账号")
# A minimal one-page PDF: the demo's stand-in for a scanned authorisation letter.
LETTER = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids"
          b"[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>"
          b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


class Command(BaseCommand):
    help = "Demo data of host registration (run after seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: demo accounts are not created on a production site.")
        with transaction.atomic():
            admins = HostMembership.objects.filter(
                user__email__in=["host.xian@demo.cn", "host.beijing@demo.cn"], is_admin=False)
            made_admin = admins.update(is_admin=True)
            User = get_user_model()
            email, name = APPLICANT
            applicant = User.objects.filter(email=email).first()
            if applicant is None:
                applicant = User.objects.create_user(email=email, password=DEFAULT_PASSWORD,
                                                     full_name=name)
                EmailAddress.objects.update_or_create(
                    user=applicant, email=email, defaults={"verified": True, "primary": True})
                self.stdout.write(f"created  {email:<24} {name}  password: {DEFAULT_PASSWORD}")
            unit = (HostUnit.objects.filter(name__contains="深圳").first()
                    or HostUnit.objects.order_by("-pk").first())
            if unit is not None and not HostApplication.objects.filter(user=applicant).exists():
                registration.apply(applicant, host_unit=unit, position="科技创新局科长",
                                   letter=SimpleUploadedFile("授权书.pdf", LETTER),
                                   message="本人受单位委托负责挑战赛平台工作，授权书见附件。")
                self.stdout.write(f"created  application of {email} to {unit.name}")
        self.stdout.write(self.style.SUCCESS(
            f"Demo host registration ready ({made_admin} host administrators marked)."))
