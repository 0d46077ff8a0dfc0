from django.urls import path

from . import import_views, views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:pk>/", import_views.preview, name="import_preview"),
    path("import/<int:pk>/commit/", import_views.commit, name="import_commit"),
    path("import/template.xlsx", import_views.template, name="import_template"),
]
