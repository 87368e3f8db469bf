from django.urls import path

from . import views

app_name = "pdf"

urlpatterns = [
    path("pdf/<slug:soort>/<int:object_id>/", views.aanvragen, name="aanvragen"),
    path("pdf/opdrachten/<uuid:pk>/", views.opdracht, name="opdracht"),
    path("pdf/opdrachten/<uuid:pk>/download/", views.downloaden, name="downloaden"),
]
