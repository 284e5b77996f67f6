from django.core.management.base import BaseCommand

from api.webhooks import send_due


class Command(BaseCommand):
    help = "Send webhook deliveries that are due (first tries of released stories and retries); run every minute."

    def handle(self, *args, **options):
        count = send_due()
        self.stdout.write(f"{count} webhook deliveries tried.")
