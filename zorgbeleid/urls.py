from django.urls import path  # noqa: F401

app_name = "zorgbeleid"

urlpatterns: list = []
