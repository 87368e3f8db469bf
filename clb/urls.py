"""Each part of the CLB app keeps its URLs beside its views."""

from .views import ouders, school, trajecten

app_name = "clb"

urlpatterns = [*trajecten.urlpatterns, *ouders.urlpatterns, *school.urlpatterns]
