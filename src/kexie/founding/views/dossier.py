"""The dossier the preparatory group fills in: the file, the group, the consent document, the charter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kexie.accounts.permissions import require
from kexie.core.errors import NotFound
from kexie.core.masking import mask_phone

from .. import services
from ..forms import (
    CharterForm,
    DossierForm,
    GroupFormSet,
    UploadForm,
)
from .base import application_for, attempt_for, dossier_page, posted


@login_required
def edit(request, pk):
    application = application_for(request, pk, "founding.edit")
    initial = {
        "name": application.association.name,
        "contact_name": application.contact_name,
        "party_organization": application.party_organization,
        "preparatory_report": application.preparatory_report,
    }
    form = DossierForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        _saved, error = attempt_for(
            lambda: services.update_dossier(application.pk, by=request.user, data=data), form
        )
        if error is None:
            messages.success(request, _("筹建材料已保存。"))
            return redirect("founding:detail", pk=application.pk)
    masked = mask_phone(application.contact_phone)
    return dossier_page(request, "founding/edit.html", application, form=form, masked_phone=masked)


def _group_page(request, application, formset, leader: str, stored: dict, error=None):
    """Each row with the masked stored phone it would keep when its phone is left empty."""
    rows = []
    for form in formset.forms:
        member = form["member"].value()
        kept = stored.get(int(member)) if str(member or "").isdigit() else None
        rows.append({"form": form, "masked": mask_phone(kept.phone) if kept else ""})
    context = {"formset": formset, "rows": rows, "leader": leader, "error": error}
    return dossier_page(request, "founding/group.html", application, **context)


@login_required
def group(request, pk):
    """The preparatory group as repeated rows; "add a row" re-renders with one more (htmx swaps the
    form in place, without JS the page reloads); exactly one row is the leader (a radio)."""
    application = application_for(request, pk, "founding.edit")
    stored = {m.pk: m for m in application.group_members.all()}
    if request.method != "POST":
        initial = [{"member": m.pk, "name": m.name, "position": m.position} for m in stored.values()]
        leader = next((str(i) for i, m in enumerate(stored.values()) if m.is_leader), "0")
        return _group_page(request, application, GroupFormSet(initial=initial or [{}]), leader, stored)
    formset = GroupFormSet(request.POST)
    leader = request.POST.get("leader", "")
    if not formset.is_valid():
        return _group_page(request, application, formset, leader, stored)
    if "add_row" in request.POST:
        more = GroupFormSet(initial=[*(form.cleaned_data for form in formset.forms), {}])
        return _group_page(request, application, more, leader, stored)
    rows = []
    for index, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        data = form.cleaned_data
        kept = stored.get(data.get("member"))
        rows.append(
            {
                "name": data["name"],
                "position": data["position"],
                "phone": data["phone"] or (kept.phone if kept else ""),
                "is_leader": str(index) == leader,
            }
        )
    _saved, error = attempt_for(
        lambda: services.set_group_members(application.pk, by=request.user, members=rows)
    )
    if error is not None:
        return _group_page(request, application, formset, leader, stored, error)
    messages.success(request, _("筹备组成员已保存。"))
    return redirect("founding:detail", pk=application.pk)


@login_required
def consent(request, pk):
    application = application_for(request, pk, "founding.edit")
    form = UploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("请选择要上传的文件。"))
        else:
            _saved, error = attempt_for(
                lambda: services.upload_consent(application.pk, by=request.user, upload=upload)
            )
            if error is not None:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("同意文件已上传。"))
                return redirect("founding:detail", pk=application.pk)
    return dossier_page(request, "founding/consent.html", application, form=form)


@login_required
def consent_file(request, pk):
    """The stored consent document, to those who can see the application, always as a download."""
    application = application_for(request, pk)
    if not application.consent_document:
        raise NotFound(_("尚未上传同意文件。"))
    extension = application.consent_document.name.rsplit(".", 1)[-1].lower()
    try:
        stored = application.consent_document.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("尚未上传同意文件。")) from exc
    response = FileResponse(stored, as_attachment=True, filename=f"{_('同意文件')}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def charter(request, pk):
    application = application_for(request, pk)
    versions = list(application.charters.select_related("created_by"))
    current = versions[0] if versions else None
    shown = current
    if request.GET.get("version", "").isdigit():
        shown = next((v for v in versions if v.version == int(request.GET["version"])), None)
        if shown is None:
            raise NotFound(_("该版本不存在。"))
    form = CharterForm(posted(request), initial={"text": current.text if current else ""})
    if request.method == "POST":
        require(request.user, "founding.edit")
        if form.is_valid():
            text = form.cleaned_data["text"]
            saved, error = attempt_for(
                lambda: services.save_charter(application.pk, by=request.user, text=text), form
            )
            if error is None:
                if current is not None and saved.pk == current.pk:
                    messages.info(request, _("章程没有改动，未生成新版本。"))
                else:
                    messages.success(
                        request, _("章程已保存为第 %(version)d 版。") % {"version": saved.version}
                    )
                return redirect("founding:charter", pk=application.pk)
    context = {"form": form, "versions": versions, "current": current, "shown": shown}
    return dossier_page(request, "founding/charter.html", application, **context)
