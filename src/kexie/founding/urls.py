from django.urls import path

from . import views
from .views import documents

app_name = "founding"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("open/", views.open_application, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/group/", views.group, name="group"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/consent/file/", views.consent_file, name="consent_file"),
    path("<int:pk>/charter/", views.charter, name="charter"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/import/", views.members_import, name="members_import"),
    path("<int:pk>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/candidates/", views.candidates, name="candidates"),
    path("<int:pk>/candidates/<int:candidacy_id>/remove/", views.candidate_remove, name="candidate_remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/review/<str:action>/", views.review, name="review"),
    path("<int:pk>/congress/", views.congress, name="congress"),
    path("<int:pk>/filing/", views.submit_filing, name="submit_filing"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/documents/<str:document>.<str:fmt>", documents.download, name="document"),
    path("<int:pk>/dossier.pdf", documents.dossier, name="dossier"),
    path("filings/", views.filings, name="filings"),
    path("filings/<int:pk>/acknowledge/", views.acknowledge_filing, name="filing_ack"),
    path("filings/<int:pk>/form.<str:fmt>", documents.filing_form, name="filing_document"),
    path("routing/", views.routing_rules, name="routing"),
    path("routing/<int:pk>/delete/", views.routing_rule_delete, name="routing_delete"),
]
