from django.conf import settings
from django.core.management.base import BaseCommand

from articles.demo import seed_demo
from articles.models import Article


class Command(BaseCommand):
    help = "Create demo sections, sources, authors, accounts and ~30 published stories. Safe to run twice."

    def handle(self, *args, **options):
        before = Article.objects.count()
        accounts = seed_demo()
        created = Article.objects.count() - before
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {created} new stories ({before + created} in all)."))
        self.stdout.write("Admin logins (demo only) at /admin/:")
        if not settings.DEBUG:
            self.stdout.write("  DEBUG is off: new accounts got random passwords, shown this once.")
        for username, password in accounts:
            self.stdout.write(f"  {username:<10} password: {password}")
