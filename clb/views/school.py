"""(being built: each URL below is a placeholder that answers 404)"""

from django.http import Http404
from django.urls import path


def _in_aanbouw(request, *args, **kwargs):
    raise Http404


def sectie(request, leerling):
    return None


urlpatterns = [
    path("leerlingen/<int:pk>/hgd/", _in_aanbouw, name="traject_school"),
    path("leerlingen/<int:pk>/clb-consultatie/", _in_aanbouw, name="consultatie_nieuw"),
]
