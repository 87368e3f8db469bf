from django.urls import path

from . import views

app_name = "bewaring"

urlpatterns: list = [
    path("bewaring/scholen/<int:pk>/regels/", views.regels_tonen, name="regels"),
    path("bewaring/scholen/<int:pk>/", views.vooruitblik, name="vooruitblik"),
    path(
        "bewaring/scholen/<int:pk>/leerlingen/<int:leerling_pk>/opschorten/",
        views.opschorten,
        name="opschorten",
    ),
    path(
        "bewaring/opschortingen/<int:pk>/beeindigen/",
        views.opschorting_beeindigen,
        name="opschorting_beeindigen",
    ),
]
