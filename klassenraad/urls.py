"""Each part of the meetings app keeps its URLs beside its views."""

from .views import actiepunten, agenda, beslissingen, bespreekvragen, overleggen, remediering

app_name = "klassenraad"

urlpatterns = [
    *overleggen.urlpatterns,
    *agenda.urlpatterns,
    *beslissingen.urlpatterns,
    *actiepunten.urlpatterns,
    *bespreekvragen.urlpatterns,
    *remediering.urlpatterns,
]
