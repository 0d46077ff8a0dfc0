"""The forms of the founding pages. They accept what people type and hand it to the services, which
clean it again and decide; where a shared cleaner exists (``members.cleaning``) the form runs it too,
so every error of a person's row appears at once, next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.associations.enums import JointKind
from kexie.core.forms import ServiceForm
from kexie.enterprises.enums import FLAG_FIELDS, Ownership
from kexie.members.cleaning import clean_person
from kexie.members.enums import Education, Office, Political, Sex, TitleLevel

from .enums import State, TargetLevel

BLANK = ("", _("（未填写）"))


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


def _choices(enum, blank=BLANK) -> list:
    return [blank, *enum.choices] if blank else list(enum.choices)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *State.choices])


class OpenForm(ServiceForm):
    """Staff open the founding file of an enterprise in their area."""

    enterprise = forms.IntegerField(label=_("企业"), required=False, widget=forms.HiddenInput)
    contact_username = forms.CharField(
        label=_("筹备组联系人账号"),
        required=False,
        help_text=_("联系人须已有平台账号；开启后他将成为筹备中科协的秘书，负责完善材料。"),
        widget=_text(autocomplete="off", maxlength=150, required=True),
    )
    name = forms.CharField(
        label=_("科协名称"),
        required=False,
        help_text=_("留空则为“企业名称+科学技术协会”。"),
        widget=_text(maxlength=200),
    )
    joint_kind = forms.ChoiceField(
        label=_("联建方式"),
        required=False,
        choices=[("", _("不联建（单个企业科协）")), *JointKind.choices],
        help_text=_("科技工作者较少的企业可按园区、区域或行业联合建立科协，由所选企业牵头。"),
    )
    covered = forms.CharField(
        label=_("联建覆盖企业"),
        required=False,
        help_text=_("联合科协覆盖的其他企业的统一社会信用代码，每行一个。"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def covered_codes(self) -> list[str]:
        return [line.strip().upper() for line in self.cleaned_data.get("covered", "").split() if line.strip()]


class DossierForm(ServiceForm):
    """The dossier's own fields. The stored phone is never shown: empty means "keep it"."""

    name = forms.CharField(label=_("科协名称"), required=False, widget=_text(maxlength=200, required=True))
    contact_name = forms.CharField(label=_("联系人"), required=False, widget=_text(maxlength=50))
    contact_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        help_text=_("留空则不修改。"),
        widget=_text(inputmode="tel", autocomplete="off"),
    )
    party_organization = forms.CharField(label=_("企业党组织"), required=False, widget=_text(maxlength=100))
    preparatory_report = forms.CharField(
        label=_("筹备工作报告"),
        required=False,
        help_text=_("写明筹备经过、会员发展、委员会及负责人人选的酝酿情况。"),
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not str(data.get("contact_phone") or "").strip():
            data.pop("contact_phone")
        return data


class GroupRowForm(forms.Form):
    """One member of the preparatory group. ``member`` is the stored row it edits, so an empty phone
    can mean "keep the stored one" (the stored phone is never sent back to the browser)."""

    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("姓名"), required=False, widget=_text(maxlength=50))
    position = forms.CharField(label=_("职务"), required=False, widget=_text(maxlength=50))
    phone = forms.CharField(
        label=_("电话"), required=False, widget=_text(inputmode="tel", autocomplete="off")
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(name) or "").strip() for name in ("name", "position", "phone"))


GroupFormSet = forms.formset_factory(GroupRowForm, extra=0, max_num=30, absolute_max=30, validate_max=True)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("选择文件"), required=False)


class CharterForm(forms.Form):
    text = forms.CharField(label=_("章程全文"), required=False, widget=forms.Textarea(attrs={"rows": 30}))


class MemberForm(ServiceForm):
    """A row of the 会员汇总表, checked by the same cleaners as imports and the API."""

    name = forms.CharField(label=_("姓名"), required=False, widget=_text(maxlength=50, required=True))
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=_choices(Sex))
    birth_month = forms.CharField(
        label=_("出生年月"), required=False, widget=_text(placeholder="1985-07", maxlength=10)
    )
    education = forms.ChoiceField(label=_("文化程度"), required=False, choices=_choices(Education))
    political = forms.ChoiceField(label=_("政治面貌"), required=False, choices=_choices(Political))
    title_level = forms.ChoiceField(label=_("职称"), required=False, choices=_choices(TitleLevel))
    title_name = forms.CharField(
        label=_("职称名称"), required=False, widget=_text(maxlength=50, placeholder=_("如 高级工程师"))
    )
    position = forms.CharField(label=_("职务"), required=False, widget=_text(maxlength=50))
    phone = forms.CharField(
        label=_("电话"), required=False, widget=_text(inputmode="tel", autocomplete="off")
    )

    def clean(self):
        cleaned = super().clean()
        _values, errors = clean_person(self.service_data())
        for error in errors:
            self.service_error(error)
        return cleaned


class CandidacyForm(forms.Form):
    person = forms.ChoiceField(label=_("会员"), required=False)
    office = forms.ChoiceField(
        label=_("拟任职务"), required=False, choices=_choices(Office, ("", _("请选择")))
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("请选择")), *((str(p.pk), p.name) for p in people)]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CongressForm(ServiceForm):
    held_on = forms.CharField(
        label=_("大会日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("地点"), required=False, widget=_text(maxlength=200))
    members_total = forms.CharField(label=_("应到会员"), required=False, widget=_text(inputmode="numeric"))
    members_present = forms.CharField(label=_("实到会员"), required=False, widget=_text(inputmode="numeric"))
    approval_read = forms.BooleanField(label=_("大会宣读了批复"), required=False)
    charter_adopted = forms.BooleanField(label=_("大会通过了章程"), required=False)
    committee_meeting_on = forms.CharField(
        label=_("委员会第一次会议日期"),
        required=False,
        help_text=_("留空则与大会同日。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


VOTE_KEYS = ("votes_for", "votes_against", "abstentions")
# The offices the committee's first meeting elects (委员 are elected by the congress itself).
OFFICER_CHOICES = [("", _("不任职务")), *((o.value, o.label) for o in Office if o != Office.COMMITTEE)]


def vote_rows(data, people, prefix: str, *, with_office: bool) -> tuple[list[dict], list[dict]]:
    """The vote rows of one stage as the service takes them, and the rows as typed (to show again).

    A row is one founding member; a row whose votes (and office) are all blank is not a candidate."""
    rows, shown = [], []
    for person in people:
        typed = {key: str(data.get(f"{prefix}-{person.pk}-{key}", "")).strip() for key in VOTE_KEYS}
        office = str(data.get(f"{prefix}-{person.pk}-office", "")).strip() if with_office else ""
        shown.append({"person": person, "office": office, **typed})
        if not any(typed.values()) and not office:
            continue
        if with_office and not office:
            continue
        row = {"person": person.pk, **{k: v or "0" for k, v in typed.items()}}
        if with_office:
            row["office"] = office
        rows.append(row)
    return rows, shown


class RoutingRuleForm(forms.Form):
    province = forms.ChoiceField(label=_("省份"), required=False)
    ownership = forms.ChoiceField(
        label=_("所有制"), required=False, choices=[("", _("不限")), *Ownership.choices]
    )
    flag = forms.ChoiceField(
        label=_("企业标签"), required=False, choices=[("", _("不限")), *FLAG_FIELDS.items()]
    )
    target_level = forms.ChoiceField(
        label=_("审批层级"), required=False, choices=TargetLevel.choices, initial=TargetLevel.PROVINCE
    )
    priority = forms.IntegerField(
        label=_("优先级"),
        required=False,
        initial=100,
        min_value=0,
        max_value=32767,
        help_text=_("数字越小越先匹配。"),
    )
    reason = forms.CharField(
        label=_("规则说明"),
        required=False,
        help_text=_("会显示给申请人，例如“省管企业由省科协审批”。"),
        widget=_text(maxlength=200, required=True),
    )

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(r.code, r.name) for r in provinces]
