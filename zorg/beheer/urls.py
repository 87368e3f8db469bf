from django.urls import path

from . import views

app_name = "beheer"

urlpatterns = [
    path("beheer/instellingen/", views.instellingen_start, name="instellingen_start"),
    path("beheer/scholen/<int:pk>/instellingen/", views.instellingen, name="instellingen"),
]
