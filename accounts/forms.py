"""The sign-in form: allauth's, with the field ids of Django's admin login form.

Password managers and scripts written for /admin/login/ look for #id_username and #id_password;
allauth names its field "login", so only the id changes, not the field.
"""
from allauth.account.forms import LoginForm


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs.update({"id": "id_username", "autofocus": True})
        self.fields["login"].label = "Username"
