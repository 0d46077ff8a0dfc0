from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("list/", views.rows_list, name="list"),
]
