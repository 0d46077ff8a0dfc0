"""The enterprise form of the pages.

Every field is accepted as typed and checked by ``cleaning.clean_fields`` (the same cleaners the
API and the importer use), so all errors appear at once, next to their fields, in one wording.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import ServiceForm

from .cleaning import clean_fields
from .enums import FLAG_FIELDS, Industry, Ownership
from .models import Enterprise

REQUIRED = {"required": True}


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


class EnterpriseForm(ServiceForm):
    name = forms.CharField(label=_("企业名称"), required=False, widget=_text(maxlength=200, **REQUIRED))
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        required=False,
        help_text=_("18位代码，见营业执照。"),
        widget=_text(autocomplete="off", spellcheck="false", autocapitalize="characters", **REQUIRED),
    )
    region = forms.CharField(
        label=_("注册地区划代码"),
        required=False,
        help_text=_("填写注册地所在县级行政区划（区、县、县级市）的6位代码，可在“行政区划”页面查询。"),
        widget=_text(inputmode="numeric", autocomplete="off", maxlength=6, **REQUIRED),
    )
    ownership = forms.CharField(
        label=_("所有制"),
        required=False,
        initial=Ownership.PRIVATE,
        widget=forms.Select(choices=Ownership.choices, attrs=REQUIRED),
    )
    industry = forms.CharField(
        label=_("行业门类"),
        required=False,
        widget=forms.Select(choices=[("", _("（未填写）")), *Industry.choices]),
    )
    is_high_tech = forms.BooleanField(label=_("国家高新技术企业"), required=False)
    is_above_scale = forms.BooleanField(label=_("规模以上"), required=False)
    is_specialized = forms.BooleanField(label=_("专精特新"), required=False)
    is_unicorn = forms.BooleanField(label=_("独角兽"), required=False)
    is_leading_private = forms.BooleanField(label=_("头部民营企业"), required=False)
    employees = forms.CharField(label=_("职工人数"), required=False, widget=_text(inputmode="numeric"))
    st_workers = forms.CharField(label=_("科技工作者人数"), required=False, widget=_text(inputmode="numeric"))
    address = forms.CharField(label=_("地址"), required=False, widget=_text(maxlength=200))
    contact_name = forms.CharField(label=_("联系人"), required=False, widget=_text(maxlength=50))
    contact_phone = forms.CharField(
        label=_("联系电话"), required=False, widget=_text(inputmode="tel", autocomplete="off")
    )

    FLAG_NAMES = tuple(FLAG_FIELDS)

    def clean(self):
        cleaned = super().clean()
        _values, errors = clean_fields(self.service_data())
        for error in errors:
            self.service_error(error)
        return cleaned

    def flag_fields(self):
        return [self[name] for name in self.FLAG_NAMES]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.FLAG_NAMES]


class EnterpriseEditForm(EnterpriseForm):
    """The edit form never shows the stored phone: an empty phone field means "keep it"."""

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        initial = {name: getattr(enterprise, name) for name in self.base_fields if name != "contact_phone"}
        initial["region"] = enterprise.region_id
        for name in ("employees", "st_workers"):
            initial[name] = "" if initial[name] is None else str(initial[name])
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].help_text = _("留空则不修改。")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not str(data.get("contact_phone") or "").strip():
            data.pop("contact_phone", None)
        return data
