from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff sign-in"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_signed_in
        from .totp import accept_codes_when_the_cache_cannot_answer

        accept_codes_when_the_cache_cannot_answer()

        def start_session_clock(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                mark_signed_in(request.session)

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.start_session_clock", weak=False)
