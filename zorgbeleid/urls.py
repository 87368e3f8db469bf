from django.urls import path

from . import views

app_name = "zorgbeleid"

_REFLECTIE = "zorgbeleid/scholen/<int:pk>/<int:jaar_pk>/reflectie/"

urlpatterns: list = [
    path("zorgbeleid/rapport/", views.rapport_start, name="rapport_start"),
    path("zorgbeleid/scholen/<int:pk>/<int:jaar_pk>/", views.rapport, name="rapport"),
    path("zorgbeleid/groepen/<int:pk>/<str:jaarnaam>/", views.groep_rapport, name="groep_rapport"),
    path(_REFLECTIE, views.reflectie_overzicht, name="reflectie_overzicht"),
    path(f"{_REFLECTIE}<str:verwachting>/", views.reflectie_bewerken, name="reflectie_bewerken"),
    path(
        f"{_REFLECTIE}<str:verwachting>/definitief/",
        views.reflectie_definitief,
        name="reflectie_definitief",
    ),
    path(
        f"{_REFLECTIE}<str:verwachting>/ontwerp/",
        views.reflectie_heropenen,
        name="reflectie_heropenen",
    ),
    path(f"{_REFLECTIE}<str:verwachting>/acties/", views.actie_toevoegen, name="actie_toevoegen"),
    path(
        "zorgbeleid/scholen/<int:pk>/<int:jaar_pk>/export.<str:formaat>",
        views.rapport_export,
        name="rapport_export",
    ),
    path(
        "zorgbeleid/groepen/<int:pk>/<str:jaarnaam>/export.<str:formaat>",
        views.groepsrapport_export,
        name="groepsrapport_export",
    ),
    path("zorgbeleid/acties/<int:pk>/", views.actie_detail, name="actie_detail"),
    path(
        "zorgbeleid/acties/<int:pk>/verwijderen/", views.actie_verwijderen, name="actie_verwijderen"
    ),
]
