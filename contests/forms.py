from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.concurrency import EditTokenFormMixin

from .enums import STAGE_ORDER, SUMMARY_SECTIONS, Stage, SummaryRating
from .models import ChallengeNotice, ComplaintChannel, SummaryReport, WorkPlan, WorkPlanStage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = ["focus_areas", "goals", "target_demands", "target_agreements", "organisation",
                  "service_agencies", "publicity", "support_policies"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ["focus_areas", "goals", "organisation", "service_agencies", "publicity",
                    "support_policies"]}
        # 组织分工 (how the work is divided), not the demands' 机构 (glossary).
        labels = {"organisation": pgettext_lazy("work plan", "Organisation")}


class WorkPlanStageForm(forms.ModelForm):
    class Meta:
        model = WorkPlanStage
        fields = ["stage", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


def stage_formset(plan, data=None):
    """The stage-dates formset of a plan: one row per stage already scheduled, then one
    pre-filled blank row per stage not scheduled yet (left blank, such a row is ignored)."""
    scheduled = set(plan.stages.values_list("stage", flat=True)) if plan.pk else set()
    missing = [stage for stage in STAGE_ORDER if stage not in scheduled]
    formset_class = inlineformset_factory(
        WorkPlan, WorkPlanStage, form=WorkPlanStageForm, extra=len(missing), can_delete=True,
        max_num=len(Stage), validate_max=True,
    )
    queryset = plan.stages.all() if plan.pk else WorkPlanStage.objects.none()
    formset = formset_class(data=data, instance=plan, prefix="stages",
                            queryset=sorted_stage_queryset(queryset),
                            initial=[{"stage": stage} for stage in missing])
    return formset


def sorted_stage_queryset(queryset):
    return queryset.order_by(Case(
        *[When(stage=stage, then=Value(index)) for index, stage in enumerate(STAGE_ORDER)],
        output_field=IntegerField(),
    ))


def stage_rows(formset):
    """The rows a valid stage formset asks to keep, as dicts for services.save_work_plan."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({name: data.get(name) for name in ("stage", "starts_on", "ends_on", "note")})
    return rows


class ReturnWorkPlanForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the host unit"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what must change before the plan can be approved."),
    )


class ApproveWorkPlanForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ChallengeNoticeForm(forms.ModelForm):
    class Meta:
        model = ChallengeNotice
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class ComplaintChannelForm(forms.ModelForm):
    class Meta:
        model = ComplaintChannel
        fields = ["name", "phone", "email", "address", "position"]


# --- summary reports --------------------------------------------------------------------------
class SummaryReportForm(EditTokenFormMixin, forms.ModelForm):
    """The four sections; built with ``edited=report`` once the report exists, so a second
    editor's save is refused instead of overwriting (``common.concurrency``)."""

    class Meta:
        model = SummaryReport
        fields = list(SUMMARY_SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in SUMMARY_SECTIONS}


class ReviewSummaryForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=SummaryRating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comments for the host unit"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))


class ReturnSummaryForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be revised"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The host unit reads this and submits the report again."),
    )
