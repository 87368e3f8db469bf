"""(being built)"""

urlpatterns = []


def sectie(request, leerling):
    return None
