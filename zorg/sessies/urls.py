from django.urls import path

from . import views

app_name = "sessies"

urlpatterns = [
    # allauth.usersessions' own address, so its links reach this page; its
    # view stays unreachable behind it.
    path("account/sessions/", views.sessies, name="lijst"),
    path("sessie/status/", views.status, name="status"),
    path("sessie/verlengen/", views.verlengen, name="verlengen"),
]
