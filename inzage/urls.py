from django.urls import path

from . import views

app_name = "inzage"

urlpatterns = [
    path("inzage/", views.lijst, name="lijst"),
    path("leerlingen/<int:pk>/inzage/nieuw/", views.nieuw, name="nieuw"),
    path("inzage/<int:pk>/", views.detail, name="detail"),
    path("inzage/<int:pk>/json/", views.json_export, name="json"),
    path("inzage/<int:pk>/overhandigd/", views.overhandigd, name="overhandigd"),
]
