from .views import metrics


class MetricsMiddleware:
    """Answers /metrics ahead of host checks and the HTTPS redirect, as the probes are answered.

    Prometheus scrapes each web container over plain HTTP at its own address (web:8000), which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would turn away; the bearer token guards it instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/metrics" and request.method in ("GET", "HEAD"):
            return metrics(request)
        return self.get_response(request)
