"""The forms of an association's later life. They check types only (a date is a date, a count is a
whole number); what a value means is decided by the services, whose ``DomainError`` the view puts
next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import ServiceForm
from kexie.members.enums import Office

from .enums import ReportKind

REQUIRED = {"required": True}
MAX_COUNT = 1_000_000  # head counts and votes
DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式应为 2026-05-20。")}


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", **REQUIRED}),
        error_messages={
            "required": _("请填写人数。"),
            "invalid": _("人数应为整数。"),
            "min_value": _("人数不能为负数。"),
            "max_value": _("人数过大，请核对。"),
        },
    )


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **REQUIRED}), error_messages=DATE_ERRORS
    )


def _member_choices(members) -> list[tuple[str, str]]:
    return [("", _("（请选择）"))] + [(str(m.person_id), m.person.name) for m in members]


class WorkReportForm(ServiceForm):
    year = forms.IntegerField(
        label=_("年度"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", **REQUIRED}),
        error_messages={"required": _("请填写年度。"), "invalid": _("年度应为四位数字，如 2026。")},
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=ReportKind.choices,
        widget=forms.Select(attrs=REQUIRED),
        error_messages={"required": _("请选择报告类型。"), "invalid_choice": _("报告类型不是有效选项。")},
    )
    text = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 12, **REQUIRED}),
        help_text=_("写明本年度的主要工作、活动安排或完成情况。"),
        error_messages={"required": _("请填写报告内容。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "kind": ReportKind.PLAN})
        super().__init__(*args, **kwargs)


class ReviewForm(ServiceForm):
    comment = forms.CharField(
        label=_("审阅意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回时须写明需要修改的内容。"),
    )


class OfficerChangeForm(ServiceForm):
    office = forms.ChoiceField(
        label=_("职务"),
        choices=Office.choices,
        widget=forms.Select(attrs=REQUIRED),
        error_messages={"required": _("请选择职务。"), "invalid_choice": _("职务不是有效选项。")},
    )
    person = forms.TypedChoiceField(
        label=_("新任人选"),
        coerce=int,
        widget=forms.Select(attrs=REQUIRED),
        help_text=_("须是本科协的正式会员。"),
        error_messages={
            "required": _("请选择新任人选。"),
            "invalid_choice": _("新任人选须是本科协的正式会员。"),
        },
    )
    decided_on = _date(_("决定日期"))
    reason = forms.CharField(
        label=_("变更原因"),
        max_length=300,
        widget=forms.TextInput(attrs={"maxlength": 300, **REQUIRED}),
        error_messages={"required": _("请写明变更原因。"), "max_length": _("变更原因不能超过300字。")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _member_choices(members)


class RenewalForm(ServiceForm):
    """The congress's numbers, and one office selector per full member (blank: no office)."""

    held_on = _date(_("换届大会日期"))
    members_total = _count(_("应到会员"))
    members_present = _count(_("实到会员"))

    OFFICE_PREFIX = "office_"

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for membership in self.members:
            self.fields[f"{self.OFFICE_PREFIX}{membership.person_id}"] = forms.ChoiceField(
                label=membership.person.name,
                required=False,
                choices=[("", _("（不任职）")), *Office.choices],
                error_messages={"invalid_choice": _("职务不是有效选项。")},
            )

    def office_fields(self):
        return [self[name] for name in self.fields if name.startswith(self.OFFICE_PREFIX)]

    def service_args(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("held_on", "members_total", "members_present")}
        officers = [
            {"office": self.cleaned_data[f"{self.OFFICE_PREFIX}{m.person_id}"], "person": m.person_id}
            for m in self.members
            if self.cleaned_data.get(f"{self.OFFICE_PREFIX}{m.person_id}")
        ]
        return {"data": data, "officers": officers}


class DissolutionForm(ServiceForm):
    reason = forms.CharField(
        label=_("撤销理由"),
        widget=forms.Textarea(attrs={"rows": 5, **REQUIRED}),
        error_messages={"required": _("请写明撤销理由。")},
    )


class WithdrawDissolutionForm(ServiceForm):
    reason = forms.CharField(
        label=_("撤回理由"),
        widget=forms.Textarea(attrs={"rows": 3, **REQUIRED}),
        error_messages={"required": _("请写明撤回理由。")},
    )


class DissolutionDecisionForm(ServiceForm):
    congress_on = _date(_("会员大会日期"))
    members_total = _count(_("应到会员"))
    members_present = _count(_("实到会员"))
    votes_for = _count(_("赞成票"))


class OfficersOnForm(forms.Form):
    """“Who held which office on this day” (a GET form on the detail page)."""

    officers_on = forms.DateField(
        label=_("查询日期"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS
    )


class MissingReportsForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("年度应为四位数字，如 2026。"),
            "min_value": _("年度不能早于2000年。"),
            "max_value": _("年度不能晚于2100年。"),
        },
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=ReportKind.choices,
        error_messages={"invalid_choice": _("报告类型不是有效选项。")},
    )


class RenewalsDueForm(forms.Form):
    within_days = forms.IntegerField(
        label=_("任期届满前天数"),
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 3650}),
        error_messages={
            "invalid": _("天数应为整数。"),
            "min_value": _("天数不能为负数。"),
            "max_value": _("天数不能超过3650天。"),
        },
    )
