"""vlaggen: to be built (issue 4)."""

urlpatterns: list = []


def sectie(request, leerling) -> dict:
    """Context for this part's section on the student page."""
    return {}
