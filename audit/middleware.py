from .log import serving


class AuditActorMiddleware:
    """Changes made while serving a request are recorded as its user's, from its client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving(request):
            return self.get_response(request)
