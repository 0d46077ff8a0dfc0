from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("list/", views.association_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/history/", views.history, name="history"),
]
