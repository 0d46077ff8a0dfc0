from django.http import HttpResponse

# Placeholders: the pages work replaces these.


def tree(request, pk=None):
    return HttpResponse("")


association_list = detail = children = history = tree
