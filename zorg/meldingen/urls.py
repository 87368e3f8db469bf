from django.urls import path

from . import views

app_name = "meldingen"

urlpatterns = [
    path("", views.melding_lijst, name="melding_lijst"),
    path("<int:pk>/openen/", views.melding_openen, name="melding_openen"),
    path("alles-gelezen/", views.alles_gelezen, name="alles_gelezen"),
    path("voorkeuren/", views.voorkeuren, name="voorkeuren"),
]
