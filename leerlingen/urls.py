"""Each part of the student record keeps its URLs beside its views."""

from .views import (
    basis,
    documenten,
    gesprekken,
    intake,
    maatregelen,
    observaties,
    ouderbrieven,
    tijdlijn,
    vlagalarm,
    vlaggen,
    vlagtrends,
    werklijsten,
    zorgfase,
)

app_name = "leerlingen"

urlpatterns = [
    *basis.urlpatterns,
    *tijdlijn.urlpatterns,
    *zorgfase.urlpatterns,
    *observaties.urlpatterns,
    *maatregelen.urlpatterns,
    *gesprekken.urlpatterns,
    *ouderbrieven.urlpatterns,
    *intake.urlpatterns,
    *documenten.urlpatterns,
    *vlaggen.urlpatterns,
    *vlagalarm.urlpatterns,
    *vlagtrends.urlpatterns,
    *werklijsten.urlpatterns,
]
