from django.core.management.base import BaseCommand, CommandError

from zorg.accounts import aanmelden
from zorg.accounts.models import User


class Command(BaseCommand):
    help = (
        "Lift the wait that failed sign-ins put on an account for browsers it never "
        "signed in on (recorded in the audit trail)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the address {email!r}")
        if aanmelden.blokkering_opheffen(user=user, reden="door de beheerder (beheerscommando)"):
            self.stdout.write(f"Lifted for {user.email}")
        else:
            self.stdout.write(f"{user.email} was not blocked")
