"""The structure pages' URLs, in the `beheer` namespace (included by
zorg/beheer/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("beheer/structuur/", views.structuur_start, name="structuur_start"),
    path("beheer/scholen/<int:pk>/structuur/", views.structuur, name="structuur"),
    path(
        "beheer/scholen/<int:pk>/campussen/toevoegen/",
        views.campus_toevoegen,
        name="campus_toevoegen",
    ),
    path("beheer/campussen/<int:pk>/", views.campus_wijzigen, name="campus_wijzigen"),
    path(
        "beheer/campussen/<int:pk>/verwijderen/",
        views.campus_verwijderen,
        name="campus_verwijderen",
    ),
    path("beheer/scholen/<int:pk>/vakken/toevoegen/", views.vak_toevoegen, name="vak_toevoegen"),
    path("beheer/vakken/<int:pk>/", views.vak_wijzigen, name="vak_wijzigen"),
    path("beheer/vakken/<int:pk>/verwijderen/", views.vak_verwijderen, name="vak_verwijderen"),
    path(
        "beheer/schooljaren/<int:pk>/wijzigen/",
        views.schooljaar_wijzigen,
        name="schooljaar_wijzigen",
    ),
    path("beheer/schooljaren/<int:pk>/klassen/", views.klassen, name="klassen"),
    path(
        "beheer/schooljaren/<int:pk>/klassen/toevoegen/",
        views.klas_toevoegen,
        name="klas_toevoegen",
    ),
    path("beheer/klassen/<int:pk>/", views.klas, name="klas"),
    path("beheer/klassen/<int:pk>/wijzigen/", views.klas_wijzigen, name="klas_wijzigen"),
    path("beheer/klassen/<int:pk>/verwijderen/", views.klas_verwijderen, name="klas_verwijderen"),
    path(
        "beheer/klassen/<int:pk>/lesopdrachten/toevoegen/",
        views.lesopdracht_toevoegen,
        name="lesopdracht_toevoegen",
    ),
    path(
        "beheer/klassen/<int:pk>/lesopdrachten/<int:opdracht>/verwijderen/",
        views.lesopdracht_verwijderen,
        name="lesopdracht_verwijderen",
    ),
    path("beheer/catalogus/", views.catalogus_start, name="catalogus_start"),
    path("beheer/scholen/<int:pk>/catalogus/", views.catalogus, name="catalogus"),
    path(
        "beheer/scholen/<int:pk>/catalogus/toevoegen/",
        views.catalogus_item_toevoegen,
        name="catalogus_item_toevoegen",
    ),
    path(
        "beheer/catalogus/<int:pk>/",
        views.catalogus_item_wijzigen,
        name="catalogus_item_wijzigen",
    ),
    path(
        "beheer/catalogus/<int:pk>/actief/",
        views.catalogus_item_actief,
        name="catalogus_item_actief",
    ),
]
