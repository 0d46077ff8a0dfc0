"""The federation's forms. They check types only; what a value means is decided by the services,
whose ``DomainError`` the view puts next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import ServiceForm

from .enums import DEFAULT_DUES, DuesAction, Tier

REQUIRED = {"required": True}
DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式应为 2026-05-20。")}


def _date(label, required: bool = True) -> forms.DateField:
    attrs = {"type": "date", **(REQUIRED if required else {})}
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )


def _year() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("年度"),
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", **REQUIRED}),
        error_messages={"required": _("请填写年度。"), "invalid": _("年度应为四位数字，如 2026。")},
    )


def _amount(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal", **REQUIRED}),
        error_messages={
            "required": _("请填写金额。"),
            "invalid": _("金额应为数字（元）。"),
            "min_value": _("金额不能为负数。"),
            "max_digits": _("金额过大，请核对。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
    )


TIER_CHOICES = [("", _("（请选择）")), *Tier.choices]


class AdmitForm(ServiceForm):
    FIELD_MAP = {"enterprise": "credit_code", "association": "credit_code"}

    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "mono", **REQUIRED}),
        help_text=_("入会企业的18位统一社会信用代码；企业须在本联合会的地区范围内。"),
        error_messages={"required": _("请填写统一社会信用代码。")},
    )
    as_association = forms.BooleanField(label=_("以该企业的科协名义入会"), required=False)
    tier = forms.ChoiceField(
        label=_("会员层级"),
        choices=TIER_CHOICES,
        widget=forms.Select(attrs=REQUIRED),
        error_messages={"required": _("请选择会员层级。")},
    )
    joined_on = _date(_("入会日期"))
    representative_name = forms.CharField(label=_("单位代表"), max_length=50, required=False)
    representative_position = forms.CharField(label=_("代表职务"), max_length=50, required=False)
    representative_phone = forms.CharField(
        label=_("代表电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class TierForm(ServiceForm):
    tier = forms.ChoiceField(
        label=_("新层级"),
        choices=TIER_CHOICES,
        widget=forms.Select(attrs=REQUIRED),
        error_messages={"required": _("请选择新层级。")},
    )
    changed_on = _date(_("变更日期"))
    reason = forms.CharField(
        label=_("变更原因"),
        max_length=300,
        widget=forms.TextInput(attrs=REQUIRED),
        error_messages={"required": _("请填写变更原因。")},
    )


class WithdrawForm(ServiceForm):
    withdrawn_on = _date(_("退会日期"))
    reason = forms.CharField(
        label=_("退会原因"),
        max_length=300,
        widget=forms.TextInput(attrs=REQUIRED),
        error_messages={"required": _("请填写退会原因。")},
    )


class DuesForm(ServiceForm):
    year = _year()
    amount = _amount(_("应缴金额（元）"))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class SettleForm(ServiceForm):
    action = forms.ChoiceField(label=_("登记"), choices=DuesAction.choices)
    paid_on = _date(_("缴费日期"), required=False)
    note = forms.CharField(
        label=_("备注"), max_length=300, required=False, help_text=_("登记减免时须写明原因。")
    )


class GenerateDuesForm(ServiceForm):
    FIELD_MAP = {f"amount_{t}": f"amount_{t}" for t in Tier.values}

    year = _year()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tier in Tier:
            field = _amount(tier.label)
            field.initial = DEFAULT_DUES[tier]
            self.fields[f"amount_{tier.value}"] = field

    def amounts(self) -> dict[str, object]:
        return {t: self.cleaned_data[f"amount_{t}"] for t in Tier.values}
