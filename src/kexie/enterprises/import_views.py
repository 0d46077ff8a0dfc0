from django.http import HttpResponse

# Placeholders: the import work replaces these.


def upload(request):
    return HttpResponse("")


preview = commit = template = upload
