from django.http import HttpResponse

# Placeholders: the documents work replaces these.


def download(request, **kwargs):
    return HttpResponse("")


dossier = download
