from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .accounts import platformbeheer

admin.site.site_header = "Zorg – platformbeheer"
# One sign-in for everyone: the admin's own login form is gone (issue 15).
admin.site.login = platformbeheer.aanmelden

urlpatterns = [
    path("", views.start, name="start"),
    path("gezondheid/", views.gezondheid, name="gezondheid"),
    # The language switch must also work on the login page.
    path("taal/", login_not_required(set_language), name="set_language"),
    # Before allauth's URLs: its sessions page is replaced by Zorg's own.
    path("", include("zorg.sessies.urls")),
    path("account/", include("allauth.urls")),
    path("meldingen/", include("zorg.meldingen.urls")),
    path("", include("zorg.beheer.urls")),
    path("", include("zorg.invoer.urls")),
    path("", include("zorg.audit.views")),
    path("", include("zorg.pdf.urls")),
    path("platformbeheer/", admin.site.urls),
    path("", include("leerlingen.urls")),
    path("", include("klassenraad.urls")),
    path("", include("clb.urls")),
    path("", include("zorgbeleid.urls")),
    path("", include("portaal.urls")),
    path("", include("inzage.urls")),
    path("", include("overdracht.urls")),
    path("", include("bewaring.urls")),
]

handler404 = "zorg.errors.niet_gevonden"
handler403 = "zorg.errors.geweigerd"
handler500 = "zorg.errors.serverfout"
handler400 = "zorg.errors.fout_verzoek"
