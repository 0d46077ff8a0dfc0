from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.tree, name="detail"),
]
