"""A school's staff, managed by its administrator: inviting people,
their roles in the school, deactivating and reactivating them, and the two
account rescues (a lost second factor, a blocked sign-in).

Every change locks the school's row first, then the person's: changes of
one school's staff happen one after the other, so the rule that a school
keeps an active administrator holds under two administrators at once. An
edit names the `stand` (a fingerprint of the person's account and roles in
the school) the page showed; when it changed meanwhile the edit is refused
(VerouderdeVersie), never applied over the other's.

Nothing is ever deleted but the membership row of a removed role: what a
person wrote stays theirs, under their name. Deactivating sets the
memberships inactive; the person's sessions end at their next request
(zorg.sessies ends a session that outlived a membership it held).
Audit descriptions name the person's e-mail and the roles, never more."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zorg.accounts.aanmelden import account_sleutel, blokkering_opheffen, geblokkeerd_van
from zorg.accounts.models import Lidmaatschap, Rol, School, User
from zorg.accounts.tweestaps import TWEEDE_FACTOREN, mfa_resetten
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_events, audit_vastleggen
from zorg.versies import VerouderdeVersie

from .models import Uitnodiging

log = logging.getLogger(__name__)

ROL_KEUZES = Rol.choices
ONDERWERP = "personeel"


# --- reading ---------------------------------------------------------------------


class Filter:
    ALLE = "alle"
    ACTIEF = "actief"
    INACTIEF = "inactief"
    NIET_UITGENODIGD = "niet_uitgenodigd"


def _actief_in(school) -> Exists:
    return Exists(Lidmaatschap.objects.filter(user=OuterRef("pk"), school=school, actief=True))


def _niet_uitgenodigd(school) -> Q:
    """Never signed in and never invited by this school: who "invite all"
    reaches (the import makes such accounts)."""
    return Q(last_login__isnull=True, uitgenodigd_op__isnull=True, is_active=True)


def personeel_lijst(
    staf: QuerySet, school: School, *, zoek: str = "", filter: str = ""
) -> QuerySet:
    """The staff queryset `staf` (from the policy) with what the list shows
    per person, filtered: a fixed number of queries whatever the number of
    people (roles prefetched, the rest annotated)."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Prefetch

    qs = staf.annotate(
        actief_hier=_actief_in(school),
        heeft_factor=Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type__in=TWEEDE_FACTOREN)
        ),
        uitgenodigd_op=Subquery(
            Uitnodiging.objects.filter(user=OuterRef("pk"), school=school).values("verstuurd_op")[
                :1
            ]
        ),
    ).prefetch_related(
        Prefetch(
            "lidmaatschappen",
            queryset=Lidmaatschap.objects.filter(school=school).order_by("rol"),
            to_attr="hier",
        )
    )
    zoek = zoek.strip()
    for woord in zoek.split():
        qs = qs.filter(
            Q(first_name__icontains=woord)
            | Q(last_name__icontains=woord)
            | Q(email__icontains=woord)
        )
    if filter == Filter.ACTIEF:
        qs = qs.filter(actief_hier=True)
    elif filter == Filter.INACTIEF:
        qs = qs.filter(actief_hier=False)
    elif filter == Filter.NIET_UITGENODIGD:
        qs = qs.filter(_niet_uitgenodigd(school))
    return qs.order_by("last_name", "first_name", "email")


def geblokkeerd(personen) -> set[int]:
    """The pks of those of `personen` whose sign-in is blocked now (one
    round trip to the cache)."""
    per_sleutel = {account_sleutel(p.email): p.pk for p in personen}
    return {per_sleutel[s] for s in geblokkeerd_van(per_sleutel)}


def nog_niet_uitgenodigd(staf: QuerySet, school: School) -> QuerySet:
    return personeel_lijst(staf, school, filter=Filter.NIET_UITGENODIGD)


def stand(persoon: User, school: School) -> str:
    """A fingerprint of what a staff page shows of `persoon` in `school`:
    their account fields and their roles there with their state."""
    rijen = sorted(
        Lidmaatschap.objects.filter(user=persoon, school=school).values_list("rol", "actief")
    )
    tekst = "|".join(
        [persoon.email, persoon.first_name, persoon.last_name, str(persoon.is_active)]
        + [f"{rol}:{int(actief)}" for rol, actief in rijen]
    )
    return hashlib.sha256(tekst.encode()).hexdigest()[:20]


def persoon_gewijzigd_bericht(_persoon=None) -> str:
    return _(
        "Iemand anders wijzigde intussen deze persoon. Bekijk de huidige gegevens en "
        "probeer opnieuw."
    )


# --- locking and rules ----------------------------------------------------------------


def _vergrendelen(school: School, persoon: User, verwacht: str | None) -> User:
    """Lock the school's row, then the person's (always in that order), and
    check the `stand` the page showed."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    vergrendeld = User.objects.select_for_update().get(pk=persoon.pk)
    if verwacht is not None and stand(vergrendeld, school) != verwacht:
        raise VerouderdeVersie(vergrendeld, persoon_gewijzigd_bericht())
    return vergrendeld


def _beheerder_blijft(school: School) -> None:
    """After a change, inside its transaction: the school must keep an
    active administrator (an active account with an active membership)."""
    if not Lidmaatschap.objects.filter(
        school=school, rol=Rol.BEHEERDER, actief=True, user__is_active=True
    ).exists():
        raise ValidationError(
            _(
                "De school moet minstens één actieve beheerder houden. Geef eerst iemand "
                "anders de rol beheerder."
            ),
            code="laatste_beheerder",
        )


def _niet_zichzelf(persoon: User, door) -> None:
    if persoon.pk == getattr(door, "pk", None):
        raise ValidationError(
            _(
                "Je kunt je eigen beheerdersrol niet wegnemen of jezelf deactiveren. "
                "Vraag het een andere beheerder."
            ),
            code="zichzelf",
        )


def _rollen_tekst(rollen) -> str:
    return ", ".join(sorted(str(r) for r in rollen))


def _audit(door, school: School, persoon: User, actie, omschrijving: str, velden=()):
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp=ONDERWERP,
        school_id=school.pk,
        object_id=persoon.pk,
        omschrijving=f"{persoon.email}: {omschrijving}",
        velden=velden,
    )


# --- inviting -------------------------------------------------------------------


def _uitnodiging_mailen_na_commit(uitnodiging_id: int) -> None:
    from .tasks import uitnodiging_mailen

    def mailen():
        try:
            uitnodiging_mailen.delay(uitnodiging_id)
        except Exception:  # a broker failure: the list offers to send again
            log.warning("Invitation %s not queued", uitnodiging_id)

    transaction.on_commit(mailen)


def _uitnodiging_bewaren(school: School, persoon: User) -> Uitnodiging:
    uitnodiging, nieuw = Uitnodiging.objects.get_or_create(user=persoon, school=school)
    if not nieuw:
        uitnodiging.verstuurd_op = timezone.now()
        uitnodiging.aantal += 1
        uitnodiging.save(update_fields=["verstuurd_op", "aantal"])
    _uitnodiging_mailen_na_commit(uitnodiging.pk)
    return uitnodiging


def _bestaande_of_nieuwe(email: str, voornaam: str, achternaam: str) -> tuple[User, bool]:
    bestaand = User.objects.filter(email__iexact=email).first()
    if bestaand is not None:
        return bestaand, False
    try:
        with transaction.atomic():
            return (
                User.objects.create_user(
                    email=email, password=None, first_name=voornaam, last_name=achternaam
                ),
                True,
            )
    except IntegrityError:
        # Someone invited the same address at the same moment.
        return User.objects.get(email__iexact=email), False


@transaction.atomic
def personeelslid_uitnodigen(
    *, school: School, email: str, voornaam: str, achternaam: str, rollen: list[str], door
) -> User:
    """Invite `email` to `school` with `rollen`: a new address becomes an
    account without a password (its owner sets one through the e-mail's
    link); a known one gets the roles in this school beside those it holds
    elsewhere, and keeps its name. The e-mail leaves after the commit."""
    email = User.objects.normalize_email(email.strip()).lower()
    if not rollen:
        raise ValidationError({"rollen": _("Kies minstens één rol.")})
    persoon, nieuw = _bestaande_of_nieuwe(email, voornaam.strip(), achternaam.strip())
    if persoon.is_staff or persoon.is_superuser or not persoon.is_active:
        raise ValidationError(
            {
                "email": _(
                    "Dit adres hoort bij een account dat de school niet kan uitnodigen. "
                    "Neem contact op met het platformbeheer."
                )
            }
        )
    vergrendeld = _vergrendelen(school, persoon, None)
    toegevoegd = []
    for rol in rollen:
        lid, gemaakt = Lidmaatschap.objects.get_or_create(
            user=vergrendeld, school=school, rol=rol, defaults={"actief": True}
        )
        if gemaakt or not lid.actief:
            if not lid.actief:
                lid.actief = True
                lid.save(update_fields=["actief"])
            toegevoegd.append(Rol(rol).label)
    _audit(
        door,
        school,
        vergrendeld,
        Actie.AANMAKEN,
        ("account aangemaakt, " if nieuw else "")
        + f"uitgenodigd met rollen {_rollen_tekst(toegevoegd) or '(geen nieuwe)'}",
    )
    _uitnodiging_bewaren(school, vergrendeld)
    return vergrendeld


@transaction.atomic
def uitnodiging_opnieuw_versturen(*, school: School, persoon: User, door) -> Uitnodiging:
    vergrendeld = _vergrendelen(school, persoon, None)
    uitnodiging = _uitnodiging_bewaren(school, vergrendeld)
    _audit(door, school, vergrendeld, Actie.WIJZIGEN, "uitnodiging opnieuw verstuurd")
    return uitnodiging


@transaction.atomic
def alle_uitnodigen(*, staf: QuerySet, school: School, door) -> int:
    """Invite everyone of the school who never signed in and was never
    invited by it (the accounts an import made). Repeating it invites no
    one twice. One INSERT for the audit trail, one for the invitations."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    personen = list(nog_niet_uitgenodigd(staf, school).filter(is_active=True))
    if not personen:
        return 0
    nu = timezone.now()
    Uitnodiging.objects.bulk_create(
        [Uitnodiging(user=p, school=school, verstuurd_op=nu) for p in personen],
        ignore_conflicts=True,
    )
    uitnodigingen = Uitnodiging.objects.filter(school=school, user__in=personen, verstuurd_op=nu)
    for pk in uitnodigingen.values_list("pk", flat=True):
        _uitnodiging_mailen_na_commit(pk)
    AuditEvent.objects.bulk_create(
        [
            event
            for p in personen
            for event in audit_events(
                gebruiker=door,
                actie=Actie.WIJZIGEN,
                onderwerp=ONDERWERP,
                school_id=school.pk,
                object_id=p.pk,
                omschrijving=f"{p.email}: uitgenodigd (iedereen nog niet uitgenodigd)",
            )
        ]
    )
    return len(personen)


def uitnodiging_link(persoon: User) -> str | None:
    """The set-password link of an invitation: allauth's password-reset key
    (valid for PASSWORD_RESET_TIMEOUT, and used up once the password is
    set, since the key hashes the password). None for someone who already
    signed in with a password: they get a notice without a link."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    if persoon.has_usable_password() and persoon.last_login is not None:
        return None
    pad = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(persoon),
            "key": default_token_generator.make_token(persoon),
        },
    )
    return f"{settings.ZORG_BASE_URL}{pad}"


# --- roles and access --------------------------------------------------------------


class RolActie:
    TOEVOEGEN = "toevoegen"
    VERWIJDEREN = "verwijderen"
    DEACTIVEREN = "deactiveren"
    HERACTIVEREN = "heractiveren"


ROL_ACTIES = (RolActie.TOEVOEGEN, RolActie.VERWIJDEREN, RolActie.DEACTIVEREN, RolActie.HERACTIVEREN)


@transaction.atomic
def rol_wijzigen(*, school: School, persoon: User, rol: str, actie: str, stand_: str, door) -> bool:
    """Add, remove, deactivate or reactivate one role of `persoon` in
    `school`. Refused when the person changed since the page showed
    `stand_`, when it would leave the school without an active
    administrator, or when administrators would take their own role.
    False when it changed nothing (the role was already so)."""
    vergrendeld = _vergrendelen(school, persoon, stand_)
    label = Rol(rol).label
    lid = Lidmaatschap.objects.filter(user=vergrendeld, school=school, rol=rol).first()
    if actie == RolActie.TOEVOEGEN:
        if lid is not None:
            return False
        Lidmaatschap.objects.create(user=vergrendeld, school=school, rol=rol, actief=True)
        omschrijving, soort = f"rol {label} toegevoegd", Actie.AANMAKEN
    else:
        if lid is None:
            return False
        if rol == Rol.BEHEERDER and actie != RolActie.HERACTIVEREN:
            _niet_zichzelf(vergrendeld, door)
        if actie == RolActie.VERWIJDEREN:
            lid.delete()
            omschrijving, soort = f"rol {label} verwijderd", Actie.VERWIJDEREN
        else:
            actief = actie == RolActie.HERACTIVEREN
            if lid.actief == actief:
                return False
            lid.actief = actief
            lid.save(update_fields=["actief"])
            omschrijving = f"rol {label} {'geheractiveerd' if actief else 'gedeactiveerd'}"
            soort = Actie.WIJZIGEN
    _beheerder_blijft(school)
    _audit(door, school, vergrendeld, soort, omschrijving)
    return True


@transaction.atomic
def toegang_wijzigen(*, school: School, persoon: User, actief: bool, stand_: str, door) -> int:
    """Deactivate (or reactivate) every membership of `persoon` in
    `school`, never in another. Their sessions end at their next request;
    what they wrote stays. How many memberships changed."""
    vergrendeld = _vergrendelen(school, persoon, stand_)
    if not actief:
        _niet_zichzelf(vergrendeld, door)
    rijen = Lidmaatschap.objects.filter(user=vergrendeld, school=school).exclude(actief=actief)
    rollen = [Rol(r).label for r in rijen.values_list("rol", flat=True)]
    aantal = rijen.update(actief=actief)
    if not aantal:
        return 0
    _beheerder_blijft(school)
    _audit(
        door,
        school,
        vergrendeld,
        Actie.WIJZIGEN,
        f"{'geheractiveerd' if actief else 'gedeactiveerd'} in de school ({_rollen_tekst(rollen)})",
    )
    return aantal


ACCOUNTVELDEN = ("first_name", "last_name", "email")


@transaction.atomic
def account_wijzigen(
    *, school: School, persoon: User, gegevens: dict, stand_: str, door
) -> list[str]:
    """Change the name or e-mail of `persoon` (the caller checked they are
    only this administrator's). The fields that changed."""
    vergrendeld = _vergrendelen(school, persoon, stand_)
    gegevens = {
        "first_name": gegevens["first_name"].strip(),
        "last_name": gegevens["last_name"].strip(),
        "email": User.objects.normalize_email(gegevens["email"].strip()).lower(),
    }
    gewijzigd = [v for v in ACCOUNTVELDEN if getattr(vergrendeld, v) != gegevens[v]]
    if not gewijzigd:
        return []
    if (
        "email" in gewijzigd
        and User.objects.filter(email__iexact=gegevens["email"]).exclude(pk=persoon.pk).exists()
    ):
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")})
    voor = vergrendeld.email
    for veld in gewijzigd:
        setattr(vergrendeld, veld, gegevens[veld])
    vergrendeld.save(update_fields=gewijzigd)
    if "email" in gewijzigd:
        from allauth.account.models import EmailAddress

        # allauth keeps its own copy of the address: the old one must not
        # open a password reset any more.
        EmailAddress.objects.filter(user=vergrendeld).delete()
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp=ONDERWERP,
        school_id=school.pk,
        object_id=vergrendeld.pk,
        omschrijving=f"{voor}: account gewijzigd"
        + (f" (nieuw adres {vergrendeld.email})" if "email" in gewijzigd else ""),
        velden=gewijzigd,
    )
    return gewijzigd


def tweestaps_resetten(*, school: School, persoon: User, door) -> int:
    """A lost phone: mfa_resetten, recorded in this school's trail."""
    return mfa_resetten(door=door, user=persoon, school_id=school.pk)


def aanmeldblokkering_opheffen(*, school: School, persoon: User, door) -> bool:
    return blokkering_opheffen(
        user=persoon, door=door, reden=f"door de beheerder van {school.naam}", school_id=school.pk
    )
