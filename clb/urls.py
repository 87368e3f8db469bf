"""Each part of the CLB app keeps its URLs beside its views."""

from .views import school, trajecten

app_name = "clb"

urlpatterns = [*trajecten.urlpatterns, *school.urlpatterns]
