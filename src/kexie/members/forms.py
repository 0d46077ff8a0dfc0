"""Forms of the member pages. Fields are taken as typed: ``cleaning.clean_person`` (through the
services) decides, so pages, the API and imports refuse the same things in the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import ServiceForm
from kexie.core.masking import mask_phone

from .enums import Degree, Education, Office, Political, Sex, TitleLevel

BLANK = [("", _("（未填写）"))]


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


def _select(choices) -> forms.Select:
    return forms.Select(choices=[*BLANK, *choices])


class PersonForm(ServiceForm):
    """The 会员申请表 fields. Phone and ID number are never pre-filled (they are shown masked):
    left empty, what is stored stays."""

    name = forms.CharField(label=_("姓名"), required=False, widget=_text(maxlength=50, required=True))
    sex = forms.CharField(label=_("性别"), required=False, widget=_select(Sex.choices))
    birth_month = forms.CharField(
        label=_("出生年月"), required=False, help_text=_("如 1988-05。"), widget=_text(placeholder="1988-05")
    )
    ethnicity = forms.CharField(label=_("民族"), required=False, widget=_text(placeholder=_("如 汉族")))
    political = forms.CharField(label=_("政治面貌"), required=False, widget=_select(Political.choices))
    education = forms.CharField(label=_("文化程度"), required=False, widget=_select(Education.choices))
    degree = forms.CharField(label=_("学位"), required=False, widget=_select(Degree.choices))
    school = forms.CharField(label=_("毕业院校"), required=False, widget=_text(maxlength=100))
    major = forms.CharField(label=_("所学专业"), required=False, widget=_text(maxlength=100))
    title_level = forms.CharField(label=_("职称"), required=False, widget=_select(TitleLevel.choices))
    title_name = forms.CharField(label=_("职称名称"), required=False, widget=_text(maxlength=50))
    title_series = forms.CharField(label=_("职称系列"), required=False, widget=_text(maxlength=50))
    position = forms.CharField(label=_("职务"), required=False, widget=_text(maxlength=50))
    department = forms.CharField(label=_("部门"), required=False, widget=_text(maxlength=100))
    phone = forms.CharField(
        label=_("手机号"), required=False, widget=_text(inputmode="tel", autocomplete="off", maxlength=20)
    )
    email = forms.CharField(
        label=_("电子邮箱"), required=False, widget=forms.EmailInput(attrs={"maxlength": 254})
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        widget=_text(autocomplete="off", spellcheck="false", autocapitalize="characters", maxlength=18),
    )
    specialty = forms.CharField(label=_("专业特长"), required=False, widget=_text(maxlength=200))
    achievements = forms.CharField(
        label=_("主要科技成果"), required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
    societies = forms.CharField(label=_("已加入的学会"), required=False, widget=_text(maxlength=200))

    service_fields = (
        "name sex birth_month ethnicity political education degree school major title_level title_name "
        "title_series position department phone email id_number specialty achievements societies"
    ).split()

    def __init__(self, *args, person=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if person is not None:
            initial = {
                **{f: getattr(person, f) for f in self.service_fields if f not in ("phone", "id_number")},
                **initial,
            }
        super().__init__(*args, initial=initial, **kwargs)
        if person is not None and person.phone:
            self.fields["phone"].help_text = _("留空则不修改（当前：%(masked)s）。") % {
                "masked": _masked_phone(person)
            }
        if person is not None and person.id_masked:
            self.fields["id_number"].help_text = _("留空则不修改（当前：%(masked)s）。") % {
                "masked": person.id_masked
            }


def _masked_phone(person) -> str:

    return mask_phone(person.phone)


CONSENT_TEXT = _(
    "我同意平台为会员管理、活动通知和统计的目的处理我的上述个人信息（含手机号、身份证号等敏感信息，"
    "加密保存，仅本人和所在科协秘书可查看完整内容）。"
)


class ApplicationForm(PersonForm):
    association = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)


class SignUpForm(ServiceForm):
    name = forms.CharField(
        label=_("姓名"), required=False, widget=_text(maxlength=50, required=True, autocomplete="name")
    )
    phone = forms.CharField(
        label=_("手机号"),
        required=False,
        help_text=_("作为登录名；没有手机号时填写电子邮箱。"),
        widget=_text(inputmode="tel", autocomplete="tel", maxlength=20),
    )
    email = forms.CharField(
        label=_("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
    )
    password = forms.CharField(
        label=_("密码"),
        required=False,
        strip=False,
        help_text=_("至少10位，不能过于简单，也不能与姓名、手机号相近。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "required": True}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    service_fields = ("name", "phone", "email", "password", "consent")


class ReasonForm(ServiceForm):
    reason = forms.CharField(
        label=_("原因"), required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
    service_fields = ("reason",)


class LeaveForm(ReasonForm):
    on = forms.CharField(
        label=_("退会日期"),
        required=False,
        help_text=_("留空为今天。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    service_fields = ("reason", "on")


class TransferForm(ReasonForm):
    to_association = forms.CharField(required=False, widget=forms.HiddenInput)
    service_fields = ("reason", "to_association")


class AppointForm(ServiceForm):
    office = forms.CharField(label=_("职务"), required=False, widget=_select(Office.choices))
    start = forms.CharField(
        label=_("任期开始"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        label=_("任期结束"),
        required=False,
        help_text=_("可留空。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    service_fields = ("office", "start", "end")
