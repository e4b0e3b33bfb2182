"""Import and export of contest data (django-import-export on the portal's safe base)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import CharWidget, IntegerWidget

from common.importexport import registry

from . import services
from .importing import HostScopedResource, HostUnitWidget
from .models import ComplaintChannel

_channel = ComplaintChannel._meta


def _column(name):
    return _channel.get_field(name).verbose_name


@registry.register
class ComplaintChannelResource(HostScopedResource):
    """Host organisers import and export their units' complaint channels (seed 四(四)).

    A row with an ID changes that channel (it must be one of the user's units' channels); a row
    without one adds a channel. Saved through ``contests.services.save_complaint_channel``,
    which writes the audit log entry.
    """

    id = Field(attribute="id", column_name="ID", widget=IntegerWidget())
    host_unit = Field(attribute="host_unit", column_name=_column("host_unit"),
                      widget=HostUnitWidget())
    name = Field(attribute="name", column_name=_column("name"), widget=CharWidget())
    phone = Field(attribute="phone", column_name=_column("phone"), widget=CharWidget())
    email = Field(attribute="email", column_name=_column("email"), widget=CharWidget())
    address = Field(attribute="address", column_name=_column("address"), widget=CharWidget())
    position = Field(attribute="position", column_name=_column("position"),
                     widget=IntegerWidget(), default=0)

    host_unit_path = "host_unit"
    optional_columns = [_column("email"), _column("address"), _column("position")]

    class Meta:
        model = ComplaintChannel
        fields = ["id", "host_unit", "name", "phone", "email", "address", "position"]
        import_id_fields = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("host_unit").order_by(
            "host_unit__event__number", "host_unit_id", "position", "pk"
        )

    def do_instance_save(self, instance, is_create):
        try:
            services.save_complaint_channel(instance, actor=self.user)
        except PermissionDenied:
            # e.g. moving a channel to another unit, which the service forbids
            raise ValidationError(
                {"host_unit": _("A complaint channel cannot be moved to another host unit.")}
            ) from None
