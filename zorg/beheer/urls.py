from django.urls import path

from . import overgang_views, urls_personeel, views
from .structuur.urls import urlpatterns as structuur

app_name = "beheer"

urlpatterns = [
    path("beheer/instellingen/", views.instellingen_start, name="instellingen_start"),
    path("beheer/scholen/<int:pk>/instellingen/", views.instellingen, name="instellingen"),
    # The school-year calendar. A free period is a row once the year's
    # calendar is fixed (`<periode>`, its pk); before, a statutory period
    # is named by its position in the statutory calendar (`wettelijk/<nummer>`).
    path("beheer/scholen/<int:pk>/kalender/", views.kalender_start, name="kalender_start"),
    path("beheer/schooljaren/<int:pk>/kalender/", views.kalender, name="kalender"),
    path(
        "beheer/schooljaren/<int:pk>/kalender/toevoegen/",
        views.vrije_periode_toevoegen,
        name="vrije_periode_toevoegen",
    ),
    path(
        "beheer/schooljaren/<int:pk>/kalender/herstellen/",
        views.kalender_herstellen,
        name="kalender_herstellen",
    ),
    path(
        "beheer/schooljaren/<int:pk>/kalender/<int:periode>/",
        views.vrije_periode_wijzigen,
        name="vrije_periode_wijzigen",
    ),
    path(
        "beheer/schooljaren/<int:pk>/kalender/<int:periode>/verwijderen/",
        views.vrije_periode_verwijderen,
        name="vrije_periode_verwijderen",
    ),
    path(
        "beheer/schooljaren/<int:pk>/kalender/wettelijk/<int:nummer>/",
        views.vrije_periode_wijzigen,
        name="wettelijke_periode_wijzigen",
    ),
    path(
        "beheer/schooljaren/<int:pk>/kalender/wettelijk/<int:nummer>/verwijderen/",
        views.vrije_periode_verwijderen,
        name="wettelijke_periode_verwijderen",
    ),
    *structuur,
    # The new school year (the rollover wizard, zorg.beheer.overgang).
    path("beheer/scholen/<int:pk>/overgang/", overgang_views.overgang_start, name="overgang_start"),
    path(
        "beheer/scholen/<int:pk>/overgang/voorbeeld/",
        overgang_views.overgang_voorbeeld,
        name="overgang_voorbeeld",
    ),
    path(
        "beheer/scholen/<int:pk>/overgang/leerling/",
        overgang_views.overgang_leerling,
        name="overgang_leerling",
    ),
    path(
        "beheer/scholen/<int:pk>/overgang/uitvoeren/",
        overgang_views.overgang_uitvoeren,
        name="overgang_uitvoeren",
    ),
    path(
        "beheer/schooljaren/<int:pk>/huidig-maken/",
        overgang_views.schooljaar_huidig_maken,
        name="schooljaar_huidig_maken",
    ),
]

# The school's staff (issue 16): its own module, beside the other pages.
urlpatterns += urls_personeel.urlpatterns
