"""The staff pages (issue 16), under the school: `<persoon>` is a user's pk,
found only among that school's staff."""

from django.urls import path

from . import views_personeel as views

P = "beheer/scholen/<int:pk>/personeel/"

urlpatterns = [
    path("beheer/personeel/", views.personeel_start, name="personeel_start"),
    path(P, views.personeel_lijst, name="personeel_lijst"),
    path(f"{P}uitnodigen/", views.personeel_uitnodigen, name="personeel_uitnodigen"),
    path(
        f"{P}uitnodigen/iedereen/",
        views.personeel_alle_uitnodigen,
        name="personeel_alle_uitnodigen",
    ),
    path(f"{P}<int:persoon>/", views.personeelslid, name="personeelslid"),
    path(f"{P}<int:persoon>/rol/", views.personeel_rol, name="personeel_rol"),
    path(f"{P}<int:persoon>/toegang/", views.personeel_toegang, name="personeel_toegang"),
    path(f"{P}<int:persoon>/account/", views.personeel_account, name="personeel_account"),
    path(
        f"{P}<int:persoon>/uitnodiging/",
        views.personeel_opnieuw_uitnodigen,
        name="personeel_opnieuw_uitnodigen",
    ),
    path(
        f"{P}<int:persoon>/tweestapsverificatie/",
        views.personeel_tweestaps_resetten,
        name="personeel_tweestaps_resetten",
    ),
    path(
        f"{P}<int:persoon>/aanmeldblokkering/",
        views.personeel_blokkering_opheffen,
        name="personeel_blokkering_opheffen",
    ),
]
