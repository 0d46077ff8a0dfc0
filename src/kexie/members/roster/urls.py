from django.urls import path

from . import views

app_name = "roster"

urlpatterns = [
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/import/", views.import_page, name="import"),
    path("<int:pk>/export/", views.export_page, name="export"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/commit/", views.job_commit, name="commit"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("jobs/<int:pk>/refused.xlsx", views.job_refused, name="refused"),
]
