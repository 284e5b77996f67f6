"""Sign-up, confirmation and unsubscribe pages. Every sign-up gets the same answer."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsroom.ratelimits import allow

from .signup import (
    LinkExpired,
    LinkInvalid,
    check_confirm_token,
    check_unsubscribe_token,
    confirm_subscription,
    request_subscription,
    unsubscribe,
)


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")


# Not CSRF-protected on purpose: story pages stay cacheable (no CSRF cookie), and a forged
# sign-up can do no more than typing the address in would: send a confirmation mail (double opt-in).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    if not allow(request, "newsletter-signup", f"{settings.NEWSLETTER_SIGNUPS_PER_HOUR}/h"):
        response = render(request, "newsletter/rate_limited.html", status=429)
        response["Retry-After"] = "3600"
        return response
    request_subscription(form.cleaned_data["email"])
    return redirect("newsletter:check-email")


def check_email(request):
    return render(request, "newsletter/check_email.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners that prefetch links do not confirm); POST confirms."""
    try:
        if request.method == "POST":
            subscriber = confirm_subscription(token)
            return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
        check_confirm_token(token)
    except LinkExpired:
        return render(request, "newsletter/link_problem.html", {"expired": True, "form": SignupForm()}, status=410)
    except LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"form": SignupForm()}, status=404)
    return render(request, "newsletter/confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without cookies or tokens
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    try:
        if request.method == "POST":
            subscriber = unsubscribe(token)
            return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
        subscriber = check_unsubscribe_token(token)
    except LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"form": SignupForm()}, status=404)
    return render(request, "newsletter/unsubscribe.html", {"token": token, "subscriber": subscriber})
