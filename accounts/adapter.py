"""django-allauth's hooks for a newsroom: staff accounts are made by admins, never by sign-up."""
from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
