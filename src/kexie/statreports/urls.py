from django.urls import path

from . import views

app_name = "statreports"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_table, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/table.<str:fmt>", views.export, name="export"),
    path("members/", views.members, name="members"),
    path("members/list/", views.member_list, name="member_list"),
]
