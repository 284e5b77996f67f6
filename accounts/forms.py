"""The sign-in forms: allauth's, with the admin's field ids and django-axes counting every failure."""
from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.signals import user_login_failed


class StaffLoginForm(LoginForm):
    """Password managers and scripts written for /admin/login/ look for #id_username and #id_password;
    allauth names its field "login", so only the id changes, not the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs.update({"id": "id_username", "autofocus": True})
        self.fields["login"].label = "Username"


class SecondFactorThrottle:
    """Wrong second-factor codes count as failed sign-ins in django-axes, like wrong passwords.

    One lockout rule for both steps, kept in the database: it holds across replicas and through a
    Redis outage (allauth's own rate limits live in the cache and refuse every sign-in when it is
    down, so they are switched off in settings).
    """

    def clean_code(self):
        request = context.request
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise forms.ValidationError("Too many failed attempts: signing in is locked for now.", code="locked")
        try:
            return super().clean_code()
        except forms.ValidationError:
            user_login_failed.send(sender=type(self), credentials=credentials, request=request)
            raise


class StaffAuthenticateForm(SecondFactorThrottle, AuthenticateForm):
    pass


class StaffReauthenticateForm(SecondFactorThrottle, ReauthenticateForm):
    pass
