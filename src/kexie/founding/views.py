from django.http import HttpResponse

# Placeholders: the pages work replaces these.


def application_list(request, **kwargs):
    return HttpResponse("")


queue = open_application = detail = edit = group = consent = consent_file = charter = members = (
    application_list
)
members_import = member_remove = candidates = candidate_remove = submit = withdraw = review = application_list
congress = submit_filing = history = filings = acknowledge_filing = routing_rules = application_list
routing_rule_delete = application_list
