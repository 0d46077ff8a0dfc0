from django.urls import path

from . import views

app_name = "federations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/units/", views.unit_list, name="units"),
    path("<int:pk>/units/export.xlsx", views.export, name="export"),
    path("<int:pk>/units/new/", views.admit, name="admit"),
    path("<int:pk>/dues/", views.dues, name="dues"),
    path("<int:pk>/dues/generate/", views.dues_generate, name="dues_generate"),
    path("<int:pk>/dues/settle/", views.dues_settle, name="dues_settle"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/tier/", views.unit_tier, name="unit_tier"),
    path("units/<int:unit_id>/withdraw/", views.unit_withdraw, name="unit_withdraw"),
    path("units/<int:unit_id>/dues/", views.unit_dues, name="unit_dues"),
]
