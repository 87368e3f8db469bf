from .views import urlpatterns as _urlpatterns

app_name = "overdracht"

urlpatterns = _urlpatterns
