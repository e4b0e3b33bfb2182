"""Admin for accounts. Torch Center staff manage everything here; host organisers see the
organisations they deal with (a demand at, or a member on the staff of, one of their units) and
verify them, nothing else. Every permission is a predicate."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_scope import SelectorScopedAdminMixin
from common.errors import DomainError

from . import agreements, selectors, services
from .models import Agreement, AgreementSignature, Membership, Organisation, Role, User
from .permissions import is_torch_staff, may_list_organisations


class TorchOnlyAdmin(admin.ModelAdmin):
    """Visible and editable by Torch Center staff only."""

    def has_module_permission(self, request):
        return is_torch_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_torch_staff(request.user)

    def has_add_permission(self, request):
        return is_torch_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_torch_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_torch_staff(request.user)


# --- users ------------------------------------------------------------------------------------
class PortalUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(TorchOnlyAdmin, DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "mobile", "is_active", "is_staff", "date_joined"]
    list_filter = ["roles", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name", "mobile"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "mobile", "language"]}),
        (_("Roles"), {"fields": ["roles"],
                      "description": _("Host organisers and Torch Center staff also become "
                                       "staff, so they can use this administration.")}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions"], "classes": ["collapse"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Only a superuser makes superusers.
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def save_model(self, request, obj, form, change):
        # Roles held before the edit, so the staff flag follows what staff changed.
        obj._roles_before = set(obj.roles.values_list("code", flat=True)) if obj.pk else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_admin_roles(form.instance, getattr(form.instance, "_roles_before", set()),
                                  actor=request.user)


@admin.register(Role)
class RoleAdmin(TorchOnlyAdmin):
    list_display = ["code", "__str__"]

    def has_add_permission(self, request):
        return False  # the six roles are data of migration 0003

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- organisations ----------------------------------------------------------------------------
class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "role", "state", "created_at", "decided_at", "decided_by"]
    readonly_fields = ["user", "created_at", "decided_at", "decided_by"]
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return is_torch_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(SelectorScopedAdminMixin, TorchOnlyAdmin):
    visible_to = selectors.organisations_managed_by
    list_display = ["name", "kind", "credit_code", "region", "verified", "verified_by",
                    "created_at"]
    list_filter = ["kind", "verified", "credit_code_override"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["verified", "verified_by", "verified_at", "created_at"]
    fields = ["name", "kind", "credit_code", "credit_code_override", "region", "address",
              "verified", "verified_by", "verified_at", "created_at"]
    inlines = [MembershipInline]
    actions = ["verify", "unverify"]
    list_select_related = ["verified_by"]

    # Host organisers see the organisations they deal with and verify them (the service checks
    # each one again); only Torch staff change them.
    def has_module_permission(self, request):
        return may_list_organisations(request.user)

    def has_view_permission(self, request, obj=None):
        return may_list_organisations(request.user)

    def has_verify_permission(self, request):
        return may_list_organisations(request.user)

    def has_unverify_permission(self, request):
        return is_torch_staff(request.user)

    def save_model(self, request, obj, form, change):
        # The form already ran Organisation.clean (which honours credit_code_override); the
        # service checks again and records the change.
        services.save_organisation(obj, actor=request.user)

    @admin.action(description=_("Mark selected organisations as verified"),
                  permissions=["verify"])
    def verify(self, request, queryset):
        count = 0
        for organisation in queryset:
            try:
                if services.verify_organisation(organisation, request.user):
                    count += 1
            except PermissionDenied:
                self.message_user(request, _("You may not verify organisations."),
                                  messages.ERROR)
                return
        self.message_user(request, ngettext("%(count)d organisation verified.",
                                            "%(count)d organisations verified.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Withdraw the verification of selected organisations"),
                  permissions=["unverify"])
    def unverify(self, request, queryset):
        count = sum(1 for organisation in queryset
                    if services.unverify_organisation(organisation, request.user))
        self.message_user(request, ngettext("%(count)d verification withdrawn.",
                                            "%(count)d verifications withdrawn.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(TorchOnlyAdmin):
    list_display = ["user", "organisation", "role", "state", "created_at", "decided_at",
                    "decided_by"]
    list_filter = ["state", "role"]
    search_fields = ["user__email", "user__full_name", "organisation__name",
                     "organisation__credit_code"]
    list_select_related = ["user", "organisation", "decided_by"]
    # Every change goes through an action (and so through its service).
    readonly_fields = ["user", "organisation", "role", "state", "created_at", "decided_at",
                       "decided_by"]
    fields = readonly_fields
    actions = ["approve", "decline", "make_admin", "make_member"]

    def has_add_permission(self, request):
        return False  # people ask to join from the portal; admins approve there or here

    def has_change_permission(self, request, obj=None):
        return False  # read-only page: changes are the actions below

    def has_decide_permission(self, request):
        return is_torch_staff(request.user)

    @admin.action(description=_("Make selected members administrators"), permissions=["decide"])
    def make_admin(self, request, queryset):
        self._decide(request, queryset,
                     lambda membership, actor: services.set_membership_role(membership, "admin",
                                                                         actor=actor))

    @admin.action(description=_("Make selected administrators plain members"),
                  permissions=["decide"])
    def make_member(self, request, queryset):
        self._decide(request, queryset,
                     lambda membership, actor: services.set_membership_role(membership, "member",
                                                                         actor=actor))

    @admin.action(description=_("Approve selected requests"), permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_membership)

    @admin.action(description=_("Decline selected requests"), permissions=["decide"])
    def decline(self, request, queryset):
        self._decide(request, queryset, services.decline_membership)

    def _decide(self, request, queryset, decide):
        done = 0
        for membership in queryset.select_related("organisation", "user"):
            try:
                decide(membership, request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{membership}: {error}", messages.WARNING)
        self.message_user(request, ngettext("%(count)d membership changed.",
                                            "%(count)d memberships changed.", done)
                          % {"count": done}, messages.SUCCESS)


# --- agreements -------------------------------------------------------------------------------
def _scope_label():
    """The registered scope model's name (``contest``), as a column and field label."""
    model = agreements.scope_model()
    return capfirst(model._meta.verbose_name) if model else ""


scope_label = lazy(_scope_label, str)()


class ScopeListFilter(admin.SimpleListFilter):
    """Versions (or, with ``lookup_prefix``, signatures) by their scope: by contest."""

    title = scope_label
    parameter_name = "scope"
    lookup_prefix = ""

    def lookups(self, request, model_admin):
        model = agreements.scope_model()
        return [(obj.pk, str(obj)) for obj in model._default_manager.all()] if model else []

    def queryset(self, request, queryset):
        model = agreements.scope_model()
        if self.value() is None or model is None:
            return queryset
        return queryset.filter(**{
            f"{self.lookup_prefix}scope_type": ContentType.objects.get_for_model(model),
            f"{self.lookup_prefix}scope_id": self.value(),
        })


class SignatureScopeListFilter(ScopeListFilter):
    lookup_prefix = "agreement__"


class AgreementAddForm(forms.ModelForm):
    """A new version: its scope (a contest) is one of the registered scope model's objects."""

    # Not "scope": the model's generic foreign key of that name is no form field.
    applies_to = forms.ModelChoiceField(queryset=Agreement.objects.none(), label=scope_label)

    class Meta:
        model = Agreement
        fields = ["kind", "title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = agreements.scope_model()
        if model is not None:
            self.fields["applies_to"].queryset = model._default_manager.all()


@admin.register(Agreement)
class AgreementAdmin(TorchOnlyAdmin):
    list_display = ["title", "scope_display", "kind", "version", "published_at",
                    "signature_count"]
    list_filter = [ScopeListFilter, "kind"]
    search_fields = ["title"]
    actions = ["publish"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).prefetch_related("scope").annotate(
            _signature_count=Count("signatures"))

    @admin.display(description=scope_label)
    def scope_display(self, obj):
        return obj.scope

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AgreementAddForm
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("signatures"), ordering="_signature_count")
    def signature_count(self, obj):
        return obj._signature_count

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["applies_to", "kind", "title", "body"]
        return ["scope_display", "kind", "version", "title", "body", "published_at",
                "published_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["scope_display", "kind", "version", "published_at", "published_by", "created_at"]

    # People signed a published text: it never changes (the page becomes read-only) and is
    # never deleted. A new version is added instead.
    def has_change_permission(self, request, obj=None):
        return is_torch_staff(request.user) and (obj is None or not obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return is_torch_staff(request.user) and (obj is None or not obj.is_published)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete published versions too
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            services.update_agreement_draft(obj, actor=request.user)
        else:
            created = services.create_agreement_version(
                form.cleaned_data["applies_to"], obj.kind, title=obj.title, body=obj.body,
                actor=request.user)
            obj.pk, obj.version = created.pk, created.version

    @admin.action(description=_("Publish selected versions (everyone must sign them again)"),
                  permissions=["change"])
    def publish(self, request, queryset):
        for agreement in queryset:
            try:
                services.publish_agreement(agreement, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{agreement}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(agreement)s published.")
                                  % {"agreement": agreement}, messages.SUCCESS)


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(TorchOnlyAdmin):
    list_display = ["user", "agreement", "signed_at", "ip_address", "text_hash"]
    list_filter = [SignatureScopeListFilter, "agreement__kind"]
    search_fields = ["user__email", "user__full_name", "agreement__title"]
    list_select_related = ["user", "agreement"]
    readonly_fields = ["user", "agreement", "signed_at", "ip_address", "text_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
