from django.http import HttpResponse

# Placeholders: the pages work replaces these.


def enterprise_list(request):
    return HttpResponse("")


enterprise_create = enterprise_detail = enterprise_edit = enterprise_history = enterprise_list
