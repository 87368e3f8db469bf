from django.shortcuts import render


def niet_gevonden(request, exception=None):
    return render(request, "errors/404.html", status=404)


def geweigerd(request, exception=None):
    return render(request, "errors/403.html", status=403)


def fout_verzoek(request, exception=None):
    return render(request, "errors/400.html", status=400)


def serverfout(request):
    # No context processors or database: the error may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
