"""Views of the student record, one module per part; each module ends with
its own `urlpatterns`, gathered in leerlingen/urls.py."""
