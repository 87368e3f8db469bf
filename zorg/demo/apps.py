from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo school and the benchmarks. Like urls.py, this is a
    composition root: it may import every app, and no app imports it."""

    name = "zorg.demo"
    label = "demo"
