"""Signing in, and the home page: the user's roles and where to go."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import LoginForm
from .scoping import home_region, scope_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    scope = scope_of(request.user)
    roles = request.user.roles.select_related("association", "region")
    return render(
        request,
        "accounts/home.html",
        {"roles": roles, "scope": scope, "home_region": home_region(request.user)},
    )
