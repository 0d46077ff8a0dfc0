from django.urls import path

from . import views

app_name = "lifecycle"
urlpatterns = [
    path("missing-reports/", views.missing_reports, name="missing_reports"),
    path("renewals-due/", views.renewals_due, name="renewals_due"),
    path("<int:pk>/reports/new/", views.report_new, name="report_new"),
    path("<int:pk>/reports/<int:report_id>/", views.report_detail, name="report"),
    path("<int:pk>/officers/change/", views.officer_change, name="officer_change"),
    path(
        "<int:pk>/officer-changes/<int:change_id>/acknowledge/",
        views.acknowledge_change,
        name="acknowledge_change",
    ),
    path("<int:pk>/renewal/", views.renewal, name="renewal"),
    path("<int:pk>/dissolution/propose/", views.dissolution_propose, name="dissolution_propose"),
    path("<int:pk>/dissolution/decision/", views.dissolution_decision, name="dissolution_decision"),
    path("<int:pk>/dissolution/approve/", views.dissolution_approve, name="dissolution_approve"),
    path("<int:pk>/dissolution/withdraw/", views.dissolution_withdraw, name="dissolution_withdraw"),
]
