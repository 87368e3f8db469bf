"""(being built: each URL below is a placeholder that answers 404)"""

from django.http import Http404
from django.urls import path


def _in_aanbouw(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("clb/aanmeldingen/", _in_aanbouw, name="aanmelding_lijst"),
    path("clb/aanmeldingen/<int:pk>/aanvaarden/", _in_aanbouw, name="aanmelding_aanvaarden"),
    path("clb/trajecten/", _in_aanbouw, name="traject_lijst"),
    path("clb/trajecten/<int:pk>/", _in_aanbouw, name="traject_detail"),
    path("clb/trajecten/<int:pk>/bewerken/", _in_aanbouw, name="traject_bewerken"),
    path("clb/trajecten/<int:pk>/doelen/nieuw/", _in_aanbouw, name="doel_nieuw"),
    path("clb/trajecten/<int:pk>/doelen/<int:doel>/", _in_aanbouw, name="doel_bewerken"),
    path("clb/trajecten/<int:pk>/behoeften/nieuw/", _in_aanbouw, name="behoefte_nieuw"),
    path("clb/trajecten/<int:pk>/notities/nieuw/", _in_aanbouw, name="notitie_nieuw"),
    path("clb/trajecten/<int:pk>/betrokkenen/nieuw/", _in_aanbouw, name="betrokkene_nieuw"),
    path("clb/trajecten/<int:pk>/laag/", _in_aanbouw, name="laag_wijzigen"),
    path("clb/trajecten/<int:pk>/afsluiten/", _in_aanbouw, name="traject_afsluiten"),
]
