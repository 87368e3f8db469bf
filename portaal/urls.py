from django.urls import path

from . import views

app_name = "portaal"

urlpatterns = [
    path("portaal/", views.start, name="start"),
    path("portaal/leerling/<int:pk>/", views.kind, name="kind"),
    path("portaal/beheer/leerling/<int:pk>/", views.beheer, name="beheer"),
    path("portaal/beheer/toegang/<int:pk>/intrekken/", views.intrekken, name="intrekken"),
    path("portaal/uitnodiging/<str:token>/", views.uitnodiging, name="uitnodiging"),
]
