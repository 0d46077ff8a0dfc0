"""Every URL × every role: anonymous → login (401 on the API), other jurisdiction → 404,
wrong role → 403, right role → 200. A URL without a row here fails the completeness test."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kexie.accounts.models import ApiToken, User
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core.models import Notification
from kexie.enterprises import services
from kexie.enterprises.models import Enterprise
from kexie.federations.models import Dues, UnitMember
from kexie.founding import services as founding_services
from kexie.founding.models import Filing, RoutingRule
from kexie.lifecycle.models import OfficerChange, WorkReport
from kexie.members.models import Membership, OfficeTerm, Person
from kexie.members.roster import jobs as roster
from kexie.outreach import services as outreach
from kexie.outreach.models import OutreachTask, Target
from kexie.statreports import services as stat_services
from kexie.statreports.lines import CODES
from kexie.statreports.models import StatCell, StatReport

from .factories import EnterpriseFactory, UserFactory, credit_code_for
from .founding.conftest import complete_dossier, congress_data

# persona → username in the `world` fixture (tests/conftest.py)
PERSONAS = {
    "anonymous": None,
    "admin": "admin",
    "province_staff": "henan_staff",
    "county_staff": "zhongyuan_staff",
    "county_viewer": "zhongyuan_viewer",
    "other_staff": "jinshui_staff",
    "secretary": "secretary_a",
    "member": "member_a",
    "sasac": "sasac_zhongyuan",
    "acfic": "acfic_zhongyuan",
    "provider": "provider",
    "nobody": "nobody",
}

# The later life of association A (lifecycle): its API paths, and every path that needs its objects.
LIFE = "api/v1/associations/<association_id>"
LIFE_PREFIXES = ("life/", "api/v1/reports/", "api/v1/officer-changes/", "api/v1/lifecycle/", f"{LIFE}/")

# The object under test always belongs to 中原区: enterprise A (private), its 科协, an import batch of
# the 中原区 staff. other_staff works in the sibling county 金水区; sasac sees only state-owned firms.
APP = "api/v1/founding/applications/<application_id>"
FED = "api/v1/federations/<federation_id>"
FED_PREFIXES = ("federations/", "api/v1/federations/", "api/v1/federation-units/")
# The statistics tables (statreports): pages and API.
STAT = "api/v1/statreports/<report_id>"
STAT_PREFIXES = ("statreports/", "api/v1/statreports", "api/v1/stats/members")
#                                               anon admin prov cnty view othr secr memb sasc acfc prvd none
MATRIX = {
    ("GET", "healthz"): "                         200 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "i18n/setlang/"): "                  302 302 302 302 302 302 302 302 302 302 302 302",
    ("GET", ""): "                                302 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "accounts/login/"): "                 200 302 302 302 302 302 302 302 302 302 302 302",
    ("POST", "accounts/logout/"): "               302 302 302 302 302 302 302 302 302 302 302 302",
    ("GET", "regions/"): "                        302 200 200 200 200 200 200 200 200 200 200 403",
    ("GET", "regions/<str:code>/"): "             302 200 200 200 200 200 200 200 200 200 200 403",
    ("GET", "enterprises/"): "                    302 200 200 200 200 200 200 403 200 200 403 403",
    ("GET", "enterprises/new/"): "                302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "enterprises/<int:pk>/"): "           302 200 200 200 200 404 200 403 404 200 403 403",
    ("GET", "enterprises/<int:pk>/edit/"): "      302 200 200 200 403 404 200 403 403 403 403 403",
    ("GET", "enterprises/<int:pk>/history/"): "   302 200 200 200 200 404 200 403 404 200 403 403",
    ("GET", "enterprises/import/"): "             302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "enterprises/import/template.xlsx"): "302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "enterprises/import/<int:pk>/"): "    302 200 404 200 403 404 403 403 403 403 403 403",
    ("POST", "enterprises/import/<int:pk>/commit/"): "302 302 404 302 403 404 403 403 403 403 403 403",
    ("GET", "associations/"): "                   302 200 200 200 200 200 200 200 200 200 403 403",
    ("GET", "associations/list/"): "              302 200 200 200 200 200 200 200 200 200 403 403",
    ("GET", "associations/<int:pk>/"): "          302 200 200 200 200 404 200 200 404 200 403 403",
    ("GET", "associations/<int:pk>/children/"): " 302 200 200 200 200 404 200 200 404 200 403 403",
    ("GET", "associations/<int:pk>/history/"): "  302 200 200 200 200 404 200 403 404 200 403 403",
    # Founding (pages), on the `founding` fixture's complete draft whose group is the secretary persona:
    # edit pages are the group's; a review or filing action not allowed in the draft state comes back
    # (302) with the refusal as a message; the filing is the 科协 copy of another 中原区 application.
    ("GET", "founding/"): "                       302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "founding/queue/"): "                 302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "founding/open/"): "                  302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "founding/<int:pk>/"): "              302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/edit/"): "         302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/group/"): "        302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/consent/"): "      302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/consent/file/"): " 302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/charter/"): "      302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/members/"): "      302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/members/import/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    (
        "POST",
        "founding/<int:pk>/members/<int:membership_id>/remove/",
    ): "302 302 403 403 403 403 302 403 403 403 403 403",
    ("GET", "founding/<int:pk>/candidates/"): "   302 200 200 200 200 404 200 403 403 403 403 403",
    (
        "POST",
        "founding/<int:pk>/candidates/<int:candidacy_id>/remove/",
    ): "302 302 403 403 403 403 302 403 403 403 403 403",
    ("POST", "founding/<int:pk>/submit/"): "      302 302 403 403 403 403 302 403 403 403 403 403",
    ("POST", "founding/<int:pk>/withdraw/"): "    302 302 403 403 403 403 302 403 403 403 403 403",
    ("POST", "founding/<int:pk>/review/<str:action>/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("GET", "founding/<int:pk>/congress/"): "     302 200 200 200 200 404 200 403 403 403 403 403",
    ("POST", "founding/<int:pk>/filing/"): "      302 302 403 403 403 403 302 403 403 403 403 403",
    ("GET", "founding/<int:pk>/history/"): "      302 200 200 200 200 404 200 403 403 403 403 403",
    (
        "GET",
        "founding/<int:pk>/documents/<str:document>.<str:fmt>",
    ): "302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/<int:pk>/dossier.pdf"): "   302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "founding/filings/"): "               302 200 200 200 200 200 403 403 200 200 403 403",
    ("POST", "founding/filings/<int:pk>/acknowledge/"): "302 302 302 302 403 404 403 403 404 404 403 403",
    ("GET", "founding/filings/<int:pk>/form.<str:fmt>"): "302 200 200 200 200 404 403 403 404 404 403 403",
    ("GET", "founding/routing/"): "               302 200 200 200 403 200 403 403 403 403 403 403",
    ("POST", "founding/routing/<int:pk>/delete/"): "302 302 302 403 403 403 403 403 403 403 403 403",
    # Notifications: everyone's own inbox; the one opened is the secretary persona's (others: 404).
    ("GET", "notifications/"): "                  302 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "notifications/read/"): "            302 302 302 302 302 302 302 302 302 302 302 302",
    ("POST", "notifications/<int:pk>/open/"): "   302 404 404 404 404 404 302 404 404 404 404 404",
    # The API answers 401 instead of redirecting; regions are public to every signed-in user.
    ("GET", "api/v1/"): "                         404 404 404 404 404 404 404 404 404 404 404 404",
    ("GET", "api/v1/<path:rest>"): "              404 404 404 404 404 404 404 404 404 404 404 404",
    ("GET", "api/v1/openapi.json"): "             200 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "api/v1/auth/token"): "              200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "api/v1/regions"): "                  401 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "api/v1/regions/tree"): "             401 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "api/v1/regions/<code>"): "           401 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "api/v1/enterprises"): "              401 200 200 200 200 200 200 403 200 200 403 403",
    ("POST", "api/v1/enterprises"): "             401 201 201 201 403 400 403 403 403 403 403 403",
    ("GET", "api/v1/enterprises/<enterprise_id>"): "401 200 200 200 200 404 200 403 404 200 403 403",
    ("PATCH", "api/v1/enterprises/<enterprise_id>"): "401 200 200 200 403 404 200 403 403 403 403 403",
    ("GET", "api/v1/associations"): "             401 200 200 200 200 200 200 200 200 200 403 403",
    ("GET", "api/v1/associations/tree"): "        401 200 200 200 200 200 200 200 200 200 403 403",
    ("GET", "api/v1/associations/<association_id>"): "401 200 200 200 200 404 200 200 404 200 403 403",
    # Founding (API): a complete draft of a 中原区 enterprise whose group is the secretary persona; the
    # review, congress and filing actions reach the state machine (400: not in this state).
    ("GET", "api/v1/founding/applications"): "401 200 200 200 200 200 200 403 403 403 403 403",
    ("POST", "api/v1/founding/applications"): "401 201 201 201 403 404 403 403 403 403 403 403",
    ("GET", APP): "401 200 200 200 200 404 200 403 403 403 403 403",
    ("PATCH", APP): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("PUT", f"{APP}/group"): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", f"{APP}/charter"): "401 200 200 200 200 404 200 403 403 403 403 403",
    ("POST", f"{APP}/charter"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("GET", f"{APP}/members"): "401 200 200 200 200 404 200 403 403 403 403 403",
    ("POST", f"{APP}/members"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("DELETE", f"{APP}/members/<membership_id>"): "401 204 403 403 403 403 204 403 403 403 403 403",
    ("POST", f"{APP}/candidates"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("DELETE", f"{APP}/candidates/<candidacy_id>"): "401 204 403 403 403 403 204 403 403 403 403 403",
    ("POST", f"{APP}/consent"): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", f"{APP}/submit"): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", f"{APP}/withdraw"): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", f"{APP}/review"): "401 400 400 400 403 404 403 403 403 403 403 403",
    ("POST", f"{APP}/congress"): "401 400 403 403 403 403 400 403 403 403 403 403",
    ("POST", f"{APP}/filing"): "401 400 403 403 403 403 400 403 403 403 403 403",
    ("GET", "api/v1/founding/filings"): "401 200 200 200 200 200 403 403 200 200 403 403",
    (
        "POST",
        "api/v1/founding/filings/<filing_id>/acknowledge",
    ): "401 200 200 200 403 404 403 403 404 404 403 403",
    ("GET", "api/v1/founding/queue"): "401 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "api/v1/founding/routing-rules"): "401 200 200 200 200 200 200 403 403 403 403 403",
    ("POST", "api/v1/founding/routing-rules"): "401 201 201 403 403 403 403 403 403 403 403 403",
    ("DELETE", "api/v1/founding/routing-rules/<rule_id>"): "401 204 204 403 403 403 403 403 403 403 403 403",
    ("GET", "api/v1/founding/route"): "401 200 200 200 200 404 200 403 403 403 403 403",
    # Later life (pages): association A with two full members, a submitted report, an officer change.
    # Forms are the secretary's; review/acknowledge/approve are the supervising staff's (302 back to
    # the detail page, with the refusal as a message when the state does not allow it).
    ("GET", "life/missing-reports/"): "302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "life/renewals-due/"): "302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "life/<int:pk>/reports/new/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "life/<int:pk>/reports/<int:report_id>/"): "302 200 200 200 200 404 200 200 404 200 403 403",
    ("POST", "life/<int:pk>/reports/<int:report_id>/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("GET", "life/<int:pk>/officers/change/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    (
        "POST",
        "life/<int:pk>/officer-changes/<int:change_id>/acknowledge/",
    ): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("GET", "life/<int:pk>/renewal/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "life/<int:pk>/dissolution/propose/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "life/<int:pk>/dissolution/decision/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", "life/<int:pk>/dissolution/approve/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("GET", "life/<int:pk>/dissolution/withdraw/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    # Later life (API): the congress decision and the approval reach the dissolution state machine (400).
    ("GET", f"{LIFE}/reports"): "401 200 200 200 200 404 200 200 404 200 403 403",
    ("POST", f"{LIFE}/reports"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("POST", "api/v1/reports/<report_id>/review"): "401 200 200 200 403 404 403 403 403 403 403 403",
    ("GET", f"{LIFE}/officers"): "401 200 200 200 200 404 200 200 404 200 403 403",
    ("POST", f"{LIFE}/officer-changes"): "401 201 403 403 403 403 201 403 403 403 403 403",
    (
        "POST",
        "api/v1/officer-changes/<change_id>/acknowledge",
    ): "401 200 200 200 403 404 403 403 403 403 403 403",
    ("POST", f"{LIFE}/renewals"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("POST", f"{LIFE}/dissolution"): "401 201 403 403 403 403 201 403 403 403 403 403",
    ("POST", f"{LIFE}/dissolution/decision"): "401 400 403 403 403 403 400 403 403 403 403 403",
    ("POST", f"{LIFE}/dissolution/approve"): "401 400 400 400 403 404 403 403 403 403 403 403",
    ("POST", f"{LIFE}/dissolution/withdraw"): "401 400 403 403 403 403 400 403 403 403 403 403",
    ("GET", "api/v1/lifecycle/missing-reports"): "401 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "api/v1/lifecycle/renewals-due"): "401 200 200 200 403 200 403 403 403 403 403 403",
    # Members (pages): an application of a signed-up worker to association A, and the member persona's
    # own approved membership (with a card and an office). Self-service pages are every signed-in
    # user's own (404 where they have no person); the public pages answer everyone.
    ("GET", "members/"): "                        302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "members/signup/"): "                 200 302 302 302 302 302 302 302 302 302 302 302",
    ("GET", "members/verify/"): "                 200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/verify/<str:code>/"): "      200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/me/"): "                     302 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/me/edit/"): "                302 302 302 302 302 302 302 200 302 302 302 302",
    ("GET", "members/me/apply/"): "               302 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/me/memberships/"): "         302 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/me/data.<str:fmt>"): "       302 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "members/me/reveal/<str:field>/"): " 302 404 404 404 404 404 404 200 404 404 404 404",
    ("GET", "members/me/card/<int:pk>.pdf"): "    302 404 404 404 404 404 404 200 404 404 404 404",
    ("GET", "members/search/associations/"): "    302 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "members/association/<int:pk>/"): "   302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "members/association/<int:pk>/pending/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "members/association/<int:pk>/offices/"): "302 200 200 200 200 404 200 200 404 200 403 403",
    ("GET", "members/<int:pk>/"): "               302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "members/<int:pk>/edit/"): "          302 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", "members/<int:pk>/decide/"): "       302 302 403 403 403 403 302 403 403 403 403 403",
    ("GET", "members/<int:pk>/leave/"): "         302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "members/<int:pk>/transfer/"): "      302 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", "members/<int:pk>/offices/"): "      302 302 403 403 403 403 302 403 403 403 403 403",
    (
        "POST",
        "members/<int:pk>/offices/<int:term_id>/end/",
    ): "302 302 403 403 403 403 302 403 403 403 403 403",
    ("POST", "members/<int:pk>/reveal/<str:field>/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    # Members (API): masked lists and details; decisions are the secretary's.
    ("GET", f"{LIFE}/members"): "401 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "api/v1/members/<membership_id>"): "401 200 200 200 200 404 200 403 403 403 403 403",
    ("POST", "api/v1/members/<membership_id>/approve"): "401 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", "api/v1/members/<membership_id>/reject"): "401 200 403 403 403 403 200 403 403 403 403 403",
    # Member rosters of association A: import is its secretary's; the masked export also the staff of
    # its region; a job (the secretary's previewed import / finished export) is its user's only.
    ("GET", "roster/template.xlsx"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "roster/<int:pk>/import/"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("GET", "roster/<int:pk>/export/"): "302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "roster/jobs/<int:pk>/"): "302 200 404 404 404 404 200 403 403 403 403 403",
    ("GET", "roster/jobs/<int:pk>/progress/"): "302 200 404 404 404 404 200 403 403 403 403 403",
    ("POST", "roster/jobs/<int:pk>/commit/"): "302 302 403 403 403 403 302 403 403 403 403 403",
    ("GET", "roster/jobs/<int:pk>/download/"): "302 200 404 404 404 404 200 403 403 403 403 403",
    ("GET", "roster/jobs/<int:pk>/refused.xlsx"): "302 200 403 403 403 403 200 403 403 403 403 403",
    ("POST", f"{LIFE}/roster/import"): "401 400 403 403 403 403 400 403 403 403 403 403",
    ("GET", f"{LIFE}/roster/export"): "401 200 200 200 200 404 200 403 403 403 403 403",
    # Federations (联合会): a 中原区 federation that none of the personas but admin manages, with enterprise
    # A as a 理事长单位 (so the secretary persona sees that unit, but not the federation) and its 2025 dues.
    ("GET", "federations/"): "                    302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "federations/<int:pk>/"): "           302 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "federations/<int:pk>/units/"): "     302 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "federations/<int:pk>/units/export.xlsx"): "302 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "federations/<int:pk>/units/new/"): " 302 200 403 403 403 403 404 403 403 403 403 403",
    ("GET", "federations/<int:pk>/dues/"): "      302 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "federations/<int:pk>/dues/generate/"): "302 200 403 403 403 403 404 403 403 403 403 403",
    ("POST", "federations/<int:pk>/dues/settle/"): "302 302 403 403 403 403 404 403 403 403 403 403",
    ("GET", "federations/units/<int:unit_id>/"): "302 200 200 200 200 404 200 403 403 403 403 403",
    ("GET", "federations/units/<int:unit_id>/tier/"): "302 200 403 403 403 403 403 403 403 403 403 403",
    ("GET", "federations/units/<int:unit_id>/withdraw/"): "302 200 403 403 403 403 403 403 403 403 403 403",
    ("GET", "federations/units/<int:unit_id>/dues/"): "302 200 403 403 403 403 403 403 403 403 403 403",
    ("GET", f"{FED}/units"): "401 200 200 200 200 404 404 403 403 403 403 403",
    ("POST", f"{FED}/units"): "401 201 403 403 403 403 404 403 403 403 403 403",
    ("GET", f"{FED}/tiers"): "401 200 200 200 200 404 404 403 403 403 403 403",
    ("POST", "api/v1/federation-units/<unit_id>/tier"): "401 201 403 403 403 403 403 403 403 403 403 403",
    ("POST", "api/v1/federation-units/<unit_id>/withdraw"): "401 200 403 403 403 403 403 403 403 403 403 403",
    # Statistics tables (statreports): a 2025 中原区 table in draft (signed), opened again by the POSTs;
    # the level above (city staff) is not a persona, so return/accept reach the state machine only for
    # the admin (400: a draft cannot be returned); province staff are two levels up (403).
    ("GET", "statreports/"): "302 200 200 200 200 200 403 403 403 403 403 403",
    ("POST", "statreports/open/"): "302 302 403 302 403 404 403 403 403 403 403 403",
    ("GET", "statreports/<int:pk>/"): "302 200 200 200 200 404 403 403 403 403 403 403",
    ("POST", "statreports/<int:pk>/"): "302 302 403 302 403 404 403 403 403 403 403 403",
    ("POST", "statreports/<int:pk>/transition/"): "302 302 403 302 403 404 403 403 403 403 403 403",
    ("GET", "statreports/<int:pk>/table.<str:fmt>"): "302 200 200 200 200 404 403 403 403 403 403 403",
    ("GET", "statreports/members/"): "302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "statreports/members/list/"): "302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "api/v1/statreports"): "401 200 200 200 200 200 403 403 403 403 403 403",
    ("POST", "api/v1/statreports"): "401 201 403 201 403 404 403 403 403 403 403 403",
    ("GET", STAT): "401 200 200 200 200 404 403 403 403 403 403 403",
    ("PUT", f"{STAT}/cells"): "401 200 403 200 403 404 403 403 403 403 403 403",
    ("POST", f"{STAT}/submit"): "401 200 403 200 403 404 403 403 403 403 403 403",
    ("POST", f"{STAT}/return"): "401 400 403 403 403 404 403 403 403 403 403 403",
    ("POST", f"{STAT}/accept"): "401 400 403 403 403 404 403 403 403 403 403 403",
    ("GET", "api/v1/stats/members"): "401 200 200 200 200 200 200 403 403 403 403 403",
    # Outreach (pages): a 中原区 target of the county staff and a task for a 中原区 enterprise without a
    # 科协 assigned by them; actions come back (302) with a refusal as a message when not allowed.
    ("GET", "outreach/"): "                       302 200 200 200 200 200 403 403 403 403 403 403",
    ("POST", "outreach/assign/"): "               302 302 302 302 403 302 403 403 403 403 403 403",
    ("GET", "outreach/tasks/"): "                 302 200 200 200 200 200 403 403 403 403 403 403",
    ("GET", "outreach/tasks/<int:pk>/"): "        302 200 200 200 200 404 403 403 403 403 403 403",
    ("POST", "outreach/tasks/<int:pk>/contact/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("POST", "outreach/tasks/<int:pk>/decline/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("POST", "outreach/tasks/<int:pk>/reopen/"): "302 302 302 302 403 404 403 403 403 403 403 403",
    ("GET", "outreach/conversion/"): "            302 200 200 200 200 200 403 403 403 403 403 403",
    ("GET", "outreach/targets/"): "               302 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "outreach/targets/new/"): "           302 200 200 200 403 200 403 403 403 403 403 403",
    ("GET", "outreach/targets/<int:pk>/"): "      302 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "outreach/targets/<int:pk>/edit/"): " 302 200 200 200 403 404 404 403 403 403 403 403",
    ("POST", "outreach/targets/<int:pk>/close/"): "302 302 302 302 403 404 404 403 403 403 403 403",
    # Outreach (API): assigning another free 中原区 enterprise; 金水区 staff are refused by name (400).
    ("GET", "api/v1/targets"): "                  401 200 200 200 200 200 200 403 403 403 403 403",
    ("GET", "api/v1/targets/<target_id>"): "      401 200 200 200 200 404 404 403 403 403 403 403",
    ("GET", "api/v1/outreach/gaps"): "            401 200 200 200 200 200 403 403 403 403 403 403",
    ("GET", "api/v1/outreach/tasks"): "           401 200 200 200 200 200 403 403 403 403 403 403",
    ("POST", "api/v1/outreach/tasks"): "          401 201 201 201 403 400 403 403 403 403 403 403",
    ("POST", "api/v1/outreach/tasks/<task_id>/contact"): "401 201 201 201 403 404 403 403 403 403 403 403",
    ("POST", "api/v1/outreach/tasks/<task_id>/decline"): "401 200 200 200 403 404 403 403 403 403 403 403",
    # Coverage statistics, asked for 中原区 (?region=410102): the sibling county's staff → 404.
    ("GET", "coverage/"): "                       302 200 200 200 200 404 403 403 200 200 403 403",
    ("GET", "coverage/list/"): "                  302 200 200 200 200 404 403 403 200 200 403 403",
    ("GET", "api/v1/stats/coverage"): "           401 200 200 200 200 404 403 403 200 200 403 403",
    ("GET", "api/v1/stats/coverage/trend"): "     401 200 200 200 200 404 403 403 200 200 403 403",
}


def all_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return set(walk(get_resolver().url_patterns))


def test_matrix_covers_every_url():
    covered = {pattern for _, pattern in MATRIX}
    assert all_routes() - covered == set(), "add the new URLs to the permission matrix"
    assert covered - all_routes() == set(), "the matrix names URLs that no longer exist"


@pytest.fixture
def batch(world, tmp_path, settings):
    """A previewed import batch of the 中原区 staff holding one valid new enterprise."""
    settings.MEDIA_ROOT = tmp_path
    csv = f"企业名称,统一社会信用代码,注册地区划代码,所有制\n矩阵测试有限公司,{credit_code_for(77001)},410102,民营\n"
    upload = SimpleUploadedFile("名单.csv", csv.encode("utf-8"))
    return services.preview_enterprise_import(by=world.county_staff, upload=upload)


@pytest.fixture
def founding(world, settings, tmp_path):
    """For the founding rows: a complete draft in 中原区 whose preparatory group is the secretary
    persona, an application of another 中原区 enterprise waiting for filing acknowledgements, a
    free 中原区 enterprise, and a Henan routing rule that matches neither."""

    settings.MEDIA_ROOT = tmp_path
    ns = type("Founding", (), {})()
    ns.free_enterprise = EnterpriseFactory(name="郑州中原矩阵筹建科技有限公司")
    UserFactory(username="matrix_contact")
    ns.application = founding_services.open_application(
        by=world.county_staff, enterprise_id=EnterpriseFactory().pk, contact_username="secretary_a"
    )
    people = complete_dossier(ns.application, User.objects.get(username="secretary_a"))
    ns.membership = ns.application.association.memberships.get(person=people[3])
    ns.candidacy = ns.application.candidacies.get(person=people[3])
    ns.person = people[0]

    founder = UserFactory(username="matrix_founder")
    filed = founding_services.open_application(
        by=world.county_staff, enterprise_id=EnterpriseFactory().pk, contact_username="matrix_founder"
    )
    founder = User.objects.get(pk=founder.pk)
    filed_people = complete_dossier(filed, founder)
    founding_services.submit(filed.pk, by=founder)
    founding_services.approve(filed.pk, by=User.objects.get(pk=world.county_staff.pk))
    filed.refresh_from_db()
    data, committee, officers = congress_data(filed, filed_people)
    founding_services.record_congress(filed.pk, by=founder, data=data, committee=committee, officers=officers)
    founding_services.submit_filing(filed.pk, by=founder)
    ns.filing = Filing.objects.get(application=filed, recipient="kexie")
    ns.rule = RoutingRule.objects.create(
        province_id="410000", flag="is_unicorn", target_level="province", reason="矩阵测试规则"
    )
    return ns


def life_objects(world) -> dict:
    """For the later-life rows: two full members of association A (矩阵主席 holds the chair), a
    submitted 2025 plan and an officer change waiting for acknowledgement (created once per test)."""

    a = world.assoc_a
    chair, secretary = (
        Membership.objects.get_or_create(
            person=Person.objects.get_or_create(name=name)[0], association=a, defaults={"status": "approved"}
        )[0]
        for name in ("矩阵主席", "矩阵秘书长")
    )
    term = OfficeTerm.objects.get_or_create(membership=chair, office="chair", start="2024-01-01")[0]
    report = WorkReport.objects.get_or_create(
        association=a,
        year=2025,
        kind="plan",
        defaults={"due_on": "2025-01-31", "text": "矩阵测试报告。" * 5, "submitted_by": world.secretary},
    )[0]
    change = OfficerChange.objects.get_or_create(
        association=a,
        successor=term,
        defaults={
            "office": "chair",
            "decided_on": "2024-01-01",
            "reason": "矩阵",
            "recorded_by": world.secretary,
        },
    )[0]
    return {
        "report": report.pk,
        "change": change.pk,
        "chair": chair.person_id,
        "secretary": secretary.person_id,
    }


def life_body(pattern: str) -> dict:

    chair, secretary = (Person.objects.get(name=n).pk for n in ("矩阵主席", "矩阵秘书长"))
    return {
        f"{LIFE}/reports": {"year": 2025, "kind": "summary", "text": "矩阵测试报告。" * 5},
        "api/v1/reports/<report_id>/review": {"accept": True},
        "life/<int:pk>/reports/<int:report_id>/": {"decision": "accept"},
        f"{LIFE}/officer-changes": {
            "office": "vice_chair",
            "person": chair,
            "decided_on": "2024-06-01",
            "reason": "矩阵",
        },
        f"{LIFE}/renewals": {
            "held_on": "2026-01-10",
            "members_total": 2,
            "members_present": 2,
            "officers": [
                {"office": "chair", "person": chair},
                {"office": "secretary_general", "person": secretary},
            ],
        },
        f"{LIFE}/dissolution": {"reason": "矩阵"},
        f"{LIFE}/dissolution/withdraw": {"reason": "矩阵"},
        f"{LIFE}/dissolution/decision": {
            "congress_on": "2026-01-10",
            "members_total": 2,
            "members_present": 2,
            "votes_for": 2,
        },
    }.get(pattern, {})


def federation_objects(world) -> dict:
    """For the federation rows: a 中原区 federation with enterprise A as a 理事长单位 and its unpaid
    2025 dues (created once per test)."""

    federation = Association.objects.get_or_create(
        kind="federation",
        name="矩阵企业科协联合会",
        defaults={
            "region_id": "410102",
            "parent": Association.objects.get(kind="local", region_id="410102"),
            "status": "active",
            "founded_on": "2020-01-01",
        },
    )[0]
    unit = UnitMember.objects.get_or_create(
        federation=federation,
        enterprise=world.ent_a,
        defaults={"tier": "chair", "joined_on": "2024-01-01", "created_by": world.admin},
    )[0]
    dues = Dues.objects.get_or_create(unit=unit, year=2025, defaults={"amount": 1000})[0]
    return {"federation": federation.pk, "unit": unit.pk, "dues": dues.pk}


def federation_body(pattern: str) -> dict:

    today = timezone.localdate().isoformat()
    return {
        "federations/<int:pk>/dues/settle/": {
            "dues": Dues.objects.get(unit__federation__name="矩阵企业科协联合会").pk,
            "action": "pay",
            "paid_on": today,
        },
        f"{FED}/units": {
            "enterprise": Enterprise.objects.get(name="河南中原国有控股集团有限公司").pk,
            "tier": "member",
            "joined_on": "2025-01-01",
        },
        "api/v1/federation-units/<unit_id>/tier": {"tier": "standing", "changed_on": today, "reason": "矩阵"},
        "api/v1/federation-units/<unit_id>/withdraw": {"withdrawn_on": today, "reason": "矩阵"},
    }.get(pattern, {})


def stat_url(pattern: str, world) -> str:
    """For the statistics rows: the 2025 中原区 table, in draft and signed (created once per test)."""

    report, created = StatReport.objects.get_or_create(
        region_id="410102",
        year=2025,
        defaults={
            "association": Association.objects.get(kind=Kind.LOCAL, region_id="410102"),
            "due_on": stat_services.due_date(2025),
            "head_name": "矩阵主任",
            "preparer_name": "矩阵填表",
            "created_by": world.county_staff,
        },
    )
    if created:
        StatCell.objects.bulk_create(StatCell(report=report, code=c, prefilled=0, filed=0) for c in CODES)
        StatCell.objects.filter(report=report, code="01").update(prefilled=1, filed=1)
        StatCell.objects.filter(report=report, code="03").update(prefilled=1, filed=1)
    path = (
        pattern.replace("<int:pk>", str(report.pk))
        .replace("<report_id>", str(report.pk))
        .replace("<str:fmt>", "pdf")
    )
    return "/" + path


def stat_body(pattern: str) -> dict:
    return {
        "statreports/open/": {"region": "410102", "year": 2025},
        "api/v1/statreports": {"region": "410102", "year": 2025},
        "statreports/<int:pk>/transition/": {"action": "submit"},
        f"{STAT}/cells": {"cells": {"16": {"value": 1, "reason": "矩阵"}}},
    }.get(pattern, {})


OUTREACH_PREFIXES = ("outreach/", "api/v1/outreach/", "api/v1/targets")


def outreach_objects(world) -> dict:
    """For the outreach rows: a 中原区 target of the county staff, a task for a 中原区 enterprise
    without a 科协, and another such enterprise free to assign (created once per test)."""

    target = Target.objects.filter(title="矩阵目标").first() or outreach.create_target(
        by=world.county_staff,
        data={
            "title": "矩阵目标",
            "region": "410102",
            "metric": "founded",
            "target_value": 5,
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
        },
    )
    assigned = Enterprise.objects.filter(name="矩阵推动企业").first() or EnterpriseFactory(
        name="矩阵推动企业"
    )
    free = Enterprise.objects.filter(name="矩阵待交办企业").first() or EnterpriseFactory(
        name="矩阵待交办企业"
    )
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    task = (
        OutreachTask.objects.filter(enterprise=assigned).first()
        or outreach.assign(by=world.county_staff, enterprise_ids=[assigned.pk], due_on=due)[0]
    )
    return {"target": target.pk, "task": task.pk, "free": free.pk, "due": due}


def outreach_url(pattern: str, world) -> str:
    ids = outreach_objects(world)
    pk = ids["target"] if pattern.startswith("outreach/targets/") else ids["task"]
    return "/" + (
        pattern.replace("<int:pk>", str(pk))
        .replace("<target_id>", str(ids["target"]))
        .replace("<task_id>", str(ids["task"]))
    )


def outreach_body(pattern: str) -> dict:
    """The objects were made by ``outreach_url`` (called first)."""

    ids = {
        "free": Enterprise.objects.get(name="矩阵待交办企业").pk,
        "due": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    }
    return {
        "outreach/assign/": {"enterprise": [ids["free"]], "due_on": ids["due"]},
        "api/v1/outreach/tasks": {"enterprises": [ids["free"]], "due_on": ids["due"]},
        "outreach/tasks/<int:pk>/contact/": {
            "contacted_on": "2026-01-05",
            "way": "phone",
            "person": "矩阵",
            "outcome": "矩阵",
        },
        "api/v1/outreach/tasks/<task_id>/contact": {
            "contacted_on": "2026-01-05",
            "way": "phone",
            "person": "矩阵",
            "outcome": "矩阵",
        },
        "outreach/tasks/<int:pk>/decline/": {"reason": "矩阵"},
        "api/v1/outreach/tasks/<task_id>/decline": {"reason": "矩阵"},
    }.get(pattern, {})


def url_for(pattern: str, world, batch, founding=None) -> str:
    if pattern.startswith(("members/", "api/v1/members/")):
        return member_url(pattern, world)
    if pattern.startswith(FED_PREFIXES):
        ids = federation_objects(world)
        return "/" + (
            pattern.replace("<int:pk>", str(ids["federation"]))
            .replace("<federation_id>", str(ids["federation"]))
            .replace("<int:unit_id>", str(ids["unit"]))
            .replace("<unit_id>", str(ids["unit"]))
        )
    if pattern.startswith(STAT_PREFIXES):
        return stat_url(pattern, world)
    if pattern.startswith(OUTREACH_PREFIXES):
        return outreach_url(pattern, world)
    if pattern.startswith(("founding/", "notifications/")):
        return founding_page_url(pattern, founding)
    if pattern.startswith("api/v1/founding/"):
        return "/" + (
            pattern.replace("<application_id>", str(founding.application.pk))
            .replace("<membership_id>", str(founding.membership.pk))
            .replace("<candidacy_id>", str(founding.candidacy.pk))
            .replace("<filing_id>", str(founding.filing.pk))
            .replace("<rule_id>", str(founding.rule.pk))
            .replace("founding/route", f"founding/route?enterprise={world.ent_a.pk}")
        )
    if pattern.startswith("roster/"):
        return roster_page_url(pattern, world)
    pk = world.ent_a.pk
    if pattern.startswith(LIFE_PREFIXES):
        ids = life_objects(world)
        pattern = pattern.replace("<int:report_id>", str(ids["report"])).replace(
            "<report_id>", str(ids["report"])
        )
        pattern = pattern.replace("<int:change_id>", str(ids["change"])).replace(
            "<change_id>", str(ids["change"])
        )
    if pattern.startswith(("associations/", "life/")):
        pk = world.assoc_a.pk
    elif pattern.startswith("enterprises/import/"):
        pk = batch.pk
    path = (
        pattern.replace("<int:pk>", str(pk))
        .replace("<str:code>", "410102")
        .replace("<code>", "410102")
        .replace("<enterprise_id>", str(world.ent_a.pk))
        .replace("<association_id>", str(world.assoc_a.pk))
        .replace("<path:rest>", "no/such/thing")
    )
    if pattern.startswith(("coverage/", "api/v1/stats/")):
        path += "?region=410102"
    return "/" + path


def founding_page_url(pattern: str, founding) -> str:

    pk = founding.application.pk
    if pattern.startswith("founding/filings/"):
        pk = founding.filing.pk
    elif pattern.startswith("founding/routing/"):
        pk = founding.rule.pk
    elif pattern.startswith("notifications/"):
        pk = Notification.objects.filter(user__username="secretary_a").first().pk
    return "/" + (
        pattern.replace("<int:pk>", str(pk))
        .replace("<int:membership_id>", str(founding.membership.pk))
        .replace("<int:candidacy_id>", str(founding.candidacy.pk))
        .replace("<str:action>", "pre_review")
        .replace("<str:document>.<str:fmt>", "candidates.xlsx")
        .replace("<str:fmt>", "pdf")
    )


def founding_body(pattern: str, founding) -> dict | list:
    action = pattern.rsplit("/", 1)[-1]
    if pattern == "api/v1/founding/applications":
        return {"enterprise": founding.free_enterprise.pk, "contact_username": "matrix_contact"}
    if pattern == "api/v1/founding/routing-rules":
        return {"province": "410000", "flag": "is_specialized", "target_level": "province", "reason": "矩阵"}
    bodies = {
        "<application_id>": {"preparatory_report": "筹备工作报告（矩阵）。"},
        "group": [{"name": "张伟", "position": "总经理", "is_leader": True}],
        "charter": {"text": "第一章 总则 " * 20},
        "members": {"name": "矩阵会员", "sex": "男", "phone": "13800009999"},
        "candidates": {"person": founding.person.pk, "office": "standing"},
        "consent": {"file": SimpleUploadedFile("同意.pdf", b"%PDF-1.4\n%%EOF\n")},
        "review": {"action": "pre_review"},
        "congress": {
            "held_on": "2030-01-01",
            "place": "报告厅",
            "members_total": 4,
            "members_present": 4,
            "approval_read": True,
            "charter_adopted": True,
            "committee": [],
            "officers": [],
        },
    }
    return bodies.get(action, {})


def body_for(method: str, pattern: str, persona: str, index: int, founding=None) -> dict:
    if pattern.startswith("api/v1/members/"):
        return {"reason": "矩阵"}
    if pattern.startswith("members/"):
        return {"action": "approve", "reason": "矩阵", "office": "committee", "start": "2024-01-01"}
    if pattern.startswith(STAT_PREFIXES):
        return stat_body(pattern)
    if pattern.startswith(OUTREACH_PREFIXES):
        return outreach_body(pattern)
    if pattern.startswith("api/v1/founding/"):
        return founding_body(pattern, founding)
    if pattern.startswith(LIFE_PREFIXES):
        return life_body(pattern)
    if pattern.startswith(FED_PREFIXES):
        return federation_body(pattern)
    if pattern == "api/v1/auth/token":
        return {"username": PERSONAS[persona] or "zhongyuan_staff", "password": "kexie-test-pass"}
    if pattern == "api/v1/enterprises":
        return {
            "name": f"矩阵测试企业{index}有限公司",
            "credit_code": credit_code_for(88000 + index),
            "region": "410102",
            "ownership": "private",
        }
    if pattern.startswith("api/v1/enterprises/"):
        return {"employees": 321}
    if pattern == "i18n/setlang/":
        return {"language": "en", "next": "/"}
    return {}


def client_for(persona: str, world, *, api: bool) -> Client:
    username = PERSONAS[persona]
    if username is None:
        return Client()
    user = next(u for u in vars(world).values() if getattr(u, "username", None) == username)
    if api:
        token = f"matrix-token-{persona}"
        ApiToken.objects.get_or_create(
            user=user,
            digest=ApiToken.digest_of(token),
            defaults={"prefix": token[:8], "expires_at": "2099-01-01T00:00:00Z"},
        )
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("method", "pattern"), list(MATRIX), ids=[f"{m} /{p}" for m, p in MATRIX])
def test_permission_matrix(method, pattern, world, batch, request):
    expected = dict(zip(PERSONAS, MATRIX[(method, pattern)].split(), strict=True))
    is_api = pattern.startswith("api/")
    uses_founding = pattern.startswith(("api/v1/founding/", "founding/", "notifications/"))
    founding = request.getfixturevalue("founding") if uses_founding else None
    actual = {}
    for index, persona in enumerate(PERSONAS):
        client = client_for(persona, world, api=is_api)
        url = url_for(pattern, world, batch, founding)
        body = body_for(method, pattern, persona, index, founding)
        # Each persona's request runs in its own rolled-back block, so writes don't leak between them.
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif is_api and pattern.endswith("/consent"):
                response = client.post(url, body)  # multipart: the file upload
            elif is_api:
                response = client.generic(method, url, data=json.dumps(body), content_type="application/json")
            else:
                response = client.post(url, body)
            transaction.set_rollback(True)
        actual[persona] = str(response.status_code)
    assert actual == expected


def member_objects(world) -> dict:
    """For the member rows: an application to association A (a person with a phone), and the member
    persona's own approved membership there, with a card code and an office (created once per test)."""

    applicant = Person.objects.get_or_create(name="矩阵申请人", defaults={"phone": "13900001111"})[0]
    application = Membership.objects.get_or_create(
        person=applicant,
        association=world.assoc_a,
        defaults={"status": "applied", "applied_at": "2026-01-01T00:00Z"},
    )[0]
    own = Person.objects.get_or_create(
        name="矩阵会员", defaults={"phone": "13900002222", "user": world.member}
    )[0]
    membership = Membership.objects.get_or_create(
        person=own,
        association=world.assoc_a,
        defaults={"status": "approved", "joined_on": "2024-01-01", "card_code": "MATRIXCODE23"},
    )[0]
    term = OfficeTerm.objects.get_or_create(membership=membership, office="committee", start="2024-01-01")[0]
    return {"application": application.pk, "own": membership.pk, "term": term.pk}


def member_url(pattern: str, world) -> str:
    ids = member_objects(world)
    pk = ids["own"] if pattern.startswith("members/me/card/") else ids["application"]
    if pattern.startswith("members/association/"):
        pk = world.assoc_a.pk
    return "/" + (
        pattern.replace("<int:pk>", str(pk))
        .replace("<membership_id>", str(ids["application"]))
        .replace("<int:term_id>", str(ids["term"]))
        .replace("<str:code>", "MATRIXCODE23")
        .replace("<str:fmt>", "json")
        .replace("<str:field>", "phone")
    )


def roster_page_url(pattern: str, world) -> str:
    """Roster pages: association A; a job is the secretary's previewed import (its finished export
    for the download)."""

    pk = world.assoc_a.pk
    if pattern.startswith("roster/jobs/"):
        if pattern.endswith("download/"):
            pk = roster.start_export(world.assoc_a.pk, by=world.secretary, fmt="xlsx").pk
        else:
            csv = "序号,姓名,性别,电话\n1,矩阵会员,男,13800009999\n2,矩阵拒绝,男,1380000\n".encode()
            upload = SimpleUploadedFile("名单.csv", csv)
            pk = roster.start_import(world.assoc_a.pk, by=world.secretary, upload=upload).pk
    return "/" + pattern.replace("<int:pk>", str(pk))
