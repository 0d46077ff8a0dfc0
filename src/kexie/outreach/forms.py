"""Forms for targets and outreach tasks. They check types only; the services decide what a value
means and their ``DomainError`` goes next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.coverage.definition import SCOPE_FLAGS
from kexie.enterprises.enums import FLAG_FIELDS, Industry, Ownership

from .enums import ContactWay, Metric

REQUIRED = {"required": True}
DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式应为 2026-05-20。")}


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", **REQUIRED}),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


class TargetForm(forms.Form):
    title = forms.CharField(label=_("目标名称"), max_length=200, widget=forms.TextInput(attrs=REQUIRED))
    region = forms.ChoiceField(label=_("地区"), required=False)
    federation = forms.ChoiceField(
        label=_("联合会"), required=False, help_text=_("由联合会设定时选择；地区即联合会所在地区。")
    )
    metric = forms.ChoiceField(label=_("指标"), choices=Metric.choices)
    target_value = forms.IntegerField(
        label=_("目标值"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("覆盖率填百分数（如 60）；数量填家数。"),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric", **REQUIRED}),
    )
    start_on = _date(_("起始日期"), help_text=_("新建科协数从此日起计；覆盖率和覆盖企业数以此日为基数。"))
    deadline = _date(_("截止日期"))
    is_high_tech = forms.BooleanField(label=FLAG_FIELDS["is_high_tech"], required=False)
    is_above_scale = forms.BooleanField(label=FLAG_FIELDS["is_above_scale"], required=False)
    is_specialized = forms.BooleanField(label=FLAG_FIELDS["is_specialized"], required=False)
    is_unicorn = forms.BooleanField(label=FLAG_FIELDS["is_unicorn"], required=False)
    is_leading_private = forms.BooleanField(label=FLAG_FIELDS["is_leading_private"], required=False)
    ownership = forms.MultipleChoiceField(
        label=_("所有制"), choices=Ownership.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    industry = forms.MultipleChoiceField(label=_("行业门类"), choices=Industry.choices, required=False)
    st_workers_min = forms.IntegerField(label=_("科技工作者人数不少于"), min_value=0, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, regions=(), federations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *regions]
        self.fields["federation"].choices = [("", "—"), *federations]
        if not federations:
            del self.fields["federation"]

    @classmethod
    def initial_for(cls, target) -> dict[str, Any]:
        scope = target.scope or {}
        initial = {
            name: getattr(target, name)
            for name in ("title", "metric", "target_value", "start_on", "deadline", "note")
        }
        initial["region"] = target.region_id
        initial["federation"] = target.owner_id if target.owner.kind == "federation" else ""
        for flag in SCOPE_FLAGS:
            initial[flag] = scope.get(flag) == "1"
        initial["ownership"] = [v for v in scope.get("ownership", "").split(",") if v]
        initial["industry"] = [v for v in scope.get("industry", "").split(",") if v]
        initial["st_workers_min"] = scope.get("st_workers_min")
        return initial

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        scope = {flag: "1" for flag in SCOPE_FLAGS if data.get(flag)}
        if data.get("ownership"):
            scope["ownership"] = ",".join(data["ownership"])
        if data.get("industry"):
            scope["industry"] = ",".join(data["industry"])
        if data.get("st_workers_min") is not None:
            scope["st_workers_min"] = str(data["st_workers_min"])
        return {
            "title": data["title"],
            "region": data.get("region") or "",
            "federation": data.get("federation") or None,
            "scope": scope,
            "metric": data["metric"],
            "target_value": data["target_value"],
            "start_on": data["start_on"],
            "deadline": data["deadline"],
            "note": data.get("note") or "",
        }


class AssignForm(forms.Form):
    enterprise = forms.TypedMultipleChoiceField(label=_("企业"), coerce=int, required=False)
    due_on = _date(_("办理期限"))
    note = forms.CharField(label=_("交办说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.TypedChoiceField(label=_("对应目标"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *((t.pk, t.title) for t in targets)]

    def full_clean(self):
        # Any id is accepted here: the service checks reach and refuses the whole batch by name.
        self.fields["enterprise"].choices = [(v, v) for v in self.data.getlist("enterprise") if v.isdigit()]
        super().full_clean()


class ContactForm(forms.Form):
    contacted_on = _date(_("联系日期"))
    way = forms.ChoiceField(label=_("联系方式"), choices=ContactWay.choices)
    person = forms.CharField(
        label=_("联系对象"),
        max_length=100,
        help_text=_("姓名和职务，如“王总经理”。"),
        widget=forms.TextInput(attrs=REQUIRED),
    )
    outcome = forms.CharField(label=_("联系结果"), widget=forms.Textarea(attrs={"rows": 3, **REQUIRED}))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("暂不建会原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, **REQUIRED})
    )
