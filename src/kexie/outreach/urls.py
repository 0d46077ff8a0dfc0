from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("assign/", views.assign, name="assign"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/contact/", views.task_contact, name="task_contact"),
    path("tasks/<int:pk>/decline/", views.task_decline, name="task_decline"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("conversion/", views.conversion, name="conversion"),
    path("targets/", views.targets, name="targets"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/close/", views.target_close, name="target_close"),
]
