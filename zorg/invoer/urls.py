from django.urls import path

from . import views

app_name = "invoer"

urlpatterns = [
    path("invoer/", views.start, name="start"),
    path("invoer/scholen/<int:pk>/", views.school, name="school"),
    path("invoer/sjablonen/<str:soort>.<str:formaat>", views.sjabloon, name="sjabloon"),
    path("invoer/<uuid:pk>/", views.opdracht, name="opdracht"),
    path("invoer/<uuid:pk>/koppelen/", views.koppelen, name="koppelen"),
    path("invoer/<uuid:pk>/bevestigen/", views.bevestigen, name="bevestigen"),
]
