from django.urls import path

from . import roster_views

app_name = "roster"

urlpatterns = [
    path("template.xlsx", roster_views.template, name="template"),
    path("<int:pk>/import/", roster_views.import_page, name="import"),
    path("<int:pk>/export/", roster_views.export_page, name="export"),
    path("jobs/<int:pk>/", roster_views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", roster_views.job_progress, name="progress"),
    path("jobs/<int:pk>/commit/", roster_views.job_commit, name="commit"),
    path("jobs/<int:pk>/download/", roster_views.job_download, name="download"),
    path("jobs/<int:pk>/refused.xlsx", roster_views.job_refused, name="refused"),
]
