from django.http import HttpResponse


def tree(request, pk=None):  # placeholder, replaced by the pages work
    return HttpResponse("")
