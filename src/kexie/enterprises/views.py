from django.http import HttpResponse


def enterprise_list(request):  # placeholder, replaced by the pages work
    return HttpResponse("")
