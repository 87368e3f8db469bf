from django.urls import path

from . import views

app_name = "leerlingen"

urlpatterns = [
    path("klassen/", views.klas_lijst, name="klas_lijst"),
    path("klassen/<int:pk>/", views.klas_detail, name="klas_detail"),
    path("leerlingen/", views.leerling_lijst, name="leerling_lijst"),
    path("leerlingen/export.csv", views.leerling_export, name="leerling_export"),
    path("leerlingen/<int:pk>/", views.leerling_detail, name="leerling_detail"),
    path("leerlingen/<int:pk>/audit/", views.leerling_audit, name="leerling_audit"),
]
