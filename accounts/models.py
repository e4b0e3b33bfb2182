import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from .credit_code import normalise as normalise_credit_code
from .credit_code import validate_credit_code
from .enums import (
    LEGAL_ENTITY_KINDS,
    AgreementKind,
    MembershipRole,
    MembershipState,
    OrganisationKind,
    RoleCode,
    VerificationState,
)

region_code_validator = RegexValidator(r"^\d{6}$", _("Enter a 6-digit GB/T 2260 region code."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Role(models.Model):
    """One of the roles of DESIGN.md, held as data so staff can grant it in admin."""

    code = models.CharField(_("code"), max_length=32, choices=RoleCode.choices, unique=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return str(RoleCode(self.code).label)


class User(AbstractUser):
    """A person; signs in with its e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email.split("@")[0]

    def role_codes(self):
        """Codes of this user's roles, cached on the instance for one request. The same query
        reads the user's unread notifications (the header's badge, which every signed-in page
        shows), kept as ``_unread_notifications`` for ``notifications.context_processors``."""
        if not hasattr(self, "_role_codes"):
            from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
            from django.db.models.functions import Coalesce

            from notifications.models import Notification

            unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
                      .order_by().values("recipient").annotate(count=Count("pk"))
                      .values("count"))
            rows = list(User.objects.filter(pk=self.pk).annotate(
                unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
                .values_list("roles__code", "unread"))
            self._role_codes = frozenset(code for code, _unread in rows if code)
            if rows:
                self._unread_notifications = rows[0][1]
        return self._role_codes


class Organisation(models.Model):
    """A company, university, institute or team taking part in the contest."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True,
        help_text=_("18 characters, printed on the business licence. Required for enterprises, "
                    "universities and institutes."),
    )
    credit_code_override = models.BooleanField(
        _("credit code accepted after manual review"), default=False,
        help_text=_("Some pilot-era codes fail the checksum; staff may accept them after review."),
    )
    region = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    address = models.CharField(_("address"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", through_fields=("organisation", "user"),
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def needs_credit_code(self):
        return self.kind in LEGAL_ENTITY_KINDS

    def clean(self):
        """Credit code: normalised, required for legal entities, checked unless staff accepted
        a checksum-failing code after manual review (``credit_code_override``)."""
        super().clean()
        self.credit_code = normalise_credit_code(self.credit_code) or None
        if self.credit_code is None:
            if self.needs_credit_code:
                raise ValidationError({"credit_code": ValidationError(
                    _("Enterprises, universities and institutes must give their unified social "
                      "credit code."), code="required")})
            return
        if self.credit_code_override:
            # Staff vouched for the code; only its shape is still enforced.
            if len(self.credit_code) != 18:
                raise ValidationError({"credit_code": ValidationError(
                    _("A unified social credit code has 18 characters; this one has "
                      "%(count)d."), code="length", params={"count": len(self.credit_code)})})
            return
        try:
            validate_credit_code(self.credit_code)
        except ValidationError as error:
            raise ValidationError({"credit_code": error}) from error


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices,
                            default=MembershipRole.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=MembershipState.choices,
                             default=MembershipState.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"

    @property
    def is_active(self):
        return self.state == MembershipState.ACTIVE

    @property
    def is_admin(self):
        return self.is_active and self.role == MembershipRole.ADMIN


class MembershipTransition(TransitionRecord):
    """One decision on a join request (or a renewed request), in the shape of every history."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="transitions", verbose_name=_("membership"))
    from_state = models.CharField(_("from"), max_length=20, choices=MembershipState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=MembershipState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")


class OrganisationVerificationChange(TransitionRecord):
    """One verification of an organisation, or its withdrawal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="transitions",
                                     verbose_name=_("organisation"))
    from_state = models.CharField(_("from"), max_length=20, choices=VerificationState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=VerificationState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("verification change")
        verbose_name_plural = _("verification changes")


class AgreementQuerySet(models.QuerySet):
    def for_scope(self, scope):
        """The versions that apply to ``scope`` (none for None)."""
        if scope is None:
            return self.none()
        return self.filter(scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)


class Agreement(models.Model):
    """One version of the NDA (保密协议) or disclaimer (免责声明) of a contest.

    Versions are numbered per scope: the object of a domain app they apply to (a contest),
    named through its content type, so that accounts knows no domain app. The app that owns
    that model registers it (``accounts.agreements.register_scope``).
    """

    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["scope_type", "scope_id", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scope_type", "scope_id", "kind", "version"],
                                    name="unique_agreement_version"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def text_hash(self):
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @property
    def is_published(self):
        return self.published_at is not None


class AgreementSignature(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="signatures", verbose_name=_("user"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT,
                                  related_name="signatures", verbose_name=_("agreement"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    text_hash = models.CharField(_("hash of the signed text"), max_length=64)

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        constraints = [
            models.UniqueConstraint(fields=["user", "agreement"], name="unique_signature"),
        ]

    def __str__(self):
        return f"{self.user} — {self.agreement}"
