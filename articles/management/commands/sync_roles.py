from django.apps import apps
from django.core.management.base import BaseCommand

from articles.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = "Create the desk's role groups and reset their permissions to the table in articles/roles.py."

    def handle(self, *args, **options):
        apply_roles(apps)
        self.stdout.write(f"Roles in place: {', '.join(ROLES)}.")
