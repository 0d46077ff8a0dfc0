from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.index, name="index"),
    # Public: signing up, and checking a member card.
    path("signup/", views.signup, name="signup"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
    # The signed-in person's own data.
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("me/apply/", views.apply, name="apply"),
    path("me/memberships/", views.mine, name="mine"),
    path("me/data.<str:fmt>", views.my_data, name="my_data"),
    path("me/reveal/<str:field>/", views.me_reveal, name="me_reveal"),
    path("me/card/<int:pk>.pdf", views.my_card, name="card"),
    path("search/associations/", views.association_search, name="association_search"),
    # One association's members (staff see, its secretary manages).
    path("association/<int:pk>/", views.member_list, name="list"),
    path("association/<int:pk>/pending/", views.pending, name="pending"),
    path("association/<int:pk>/offices/", views.offices, name="offices"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/offices/", views.appoint, name="appoint"),
    path("<int:pk>/offices/<int:term_id>/end/", views.end_term, name="end_term"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
]
