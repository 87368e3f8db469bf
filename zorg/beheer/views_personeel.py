"""The school's staff pages (issue 16): the administrator manages, the
director reads (and sees no button). Another school's staff is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie

from . import personeel, policies
from .forms_personeel import (
    AccountForm,
    AlleUitnodigenForm,
    PersoneelZoekForm,
    RolForm,
    ToegangForm,
    UitnodigenForm,
)


@require_GET
def personeel_start(request):
    scholen = list(policies.personeel_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("beheer:personeel_lijst", pk=scholen[0].pk)
    return render(request, "beheer/personeel/scholen.html", {"scholen": scholen})


def _school(request, pk, *, beheren: bool):
    school = policies.get_personeel_school_for_user(request.user, pk)
    if beheren and not policies.can_manage_personeel(request.user, school):
        raise Http404
    return school


@require_GET
def personeel_lijst(request, pk):
    """The school's staff, searchable, a page at a time: a fixed number of
    queries whatever the number of people."""
    school = _school(request, pk, beheren=False)
    zoekform = PersoneelZoekForm(request.GET or None)
    zoek, filter_ = "", ""
    if zoekform.is_valid():
        zoek = zoekform.cleaned_data["q"]
        filter_ = zoekform.cleaned_data["filter"]
    staf = policies.personeel_visible_to(request.user, school)
    pagina = pagineren(request, personeel.personeel_lijst(staf, school, zoek=zoek, filter=filter_))
    mag_beheren = policies.can_manage_personeel(request.user, school)
    return render(
        request,
        "beheer/personeel/lijst.html",
        {
            "school": school,
            "pagina": pagina,
            "zoekform": zoekform,
            "q": zoek,
            "filter": filter_,
            "geblokkeerd": personeel.geblokkeerd(pagina.object_list),
            "mag_beheren": mag_beheren,
            "nog_niet_uitgenodigd": (
                personeel.nog_niet_uitgenodigd(staf, school).count() if mag_beheren else 0
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def personeel_uitnodigen(request, pk):
    school = _school(request, pk, beheren=True)
    form = UitnodigenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gegevens = form.cleaned_data
        try:
            persoon, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: personeel.personeelslid_uitnodigen(
                    school=school,
                    email=gegevens["email"],
                    voornaam=gegevens["first_name"],
                    achternaam=gegevens["last_name"],
                    rollen=gegevens["rollen"],
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if nieuw:
                messages.success(
                    request,
                    _("De uitnodiging voor %(email)s is verstuurd.") % {"email": persoon.email},
                )
            else:
                messages.info(request, AL_BEWAARD)
            return redirect("beheer:personeelslid", pk=school.pk, persoon=persoon.pk)
    return render(request, "beheer/personeel/uitnodigen.html", {"school": school, "form": form})


@require_http_methods(["GET", "POST"])
def personeel_alle_uitnodigen(request, pk):
    """Invite everyone the import made who was not invited yet: a page that
    says how many, and a button."""
    school = _school(request, pk, beheren=True)
    staf = policies.personeel_visible_to(request.user, school)
    form = AlleUitnodigenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aantal, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: personeel.alle_uitnodigen(staf=staf, school=school, door=request.user),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if not nieuw:
                messages.info(request, AL_BEWAARD)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(aantal)d uitnodiging verstuurd.",
                        "%(aantal)d uitnodigingen verstuurd.",
                        aantal,
                    )
                    % {"aantal": aantal},
                )
            return redirect("beheer:personeel_lijst", pk=school.pk)
    return render(
        request,
        "beheer/personeel/alle_uitnodigen.html",
        {
            "school": school,
            "form": form,
            "aantal": personeel.nog_niet_uitgenodigd(staf, school).count(),
        },
    )


def _persoon(request, school, persoon_pk):
    return policies.get_personeelslid_for_user(request.user, school, persoon_pk)


def _terug(school, persoon):
    return redirect("beheer:personeelslid", pk=school.pk, persoon=persoon.pk)


@require_GET
def personeelslid(request, pk, persoon):
    school = _school(request, pk, beheren=False)
    persoon = _persoon(request, school, persoon)
    return render(
        request, "beheer/personeel/detail.html", _detail_context(request, school, persoon)
    )


def _detail_context(request, school, persoon, **extra) -> dict:
    rij = personeel.personeel_lijst(
        policies.personeel_visible_to(request.user, school), school
    ).get(pk=persoon.pk)
    hier = {lid.rol: lid.actief for lid in rij.hier}
    mag_beheren = policies.can_manage_personeel(request.user, school)
    mag_account = policies.can_edit_personeel_account(request.user, school, persoon)
    return {
        "school": school,
        "persoon": rij,
        "rollen": [
            {"waarde": waarde, "label": label, "actief": hier.get(waarde)}
            for waarde, label in personeel.ROL_KEUZES
        ],
        "stand": personeel.stand(persoon, school),
        "geblokkeerd": bool(personeel.geblokkeerd([persoon])),
        "mag_beheren": mag_beheren,
        "mag_account": mag_account,
        "elders": mag_beheren and not mag_account,
        "is_zelf": persoon.pk == request.user.pk,
        **extra,
    }


def _wijzigen(request, school, persoon, form, actie):
    """Run a change from a person's page: a refused one (someone changed
    the person meanwhile, the last administrator) says why on that page."""
    if not form.is_valid():
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return _terug(school, persoon)
    try:
        resultaat = actie(form.cleaned_data)
    except VerouderdeVersie as exc:
        messages.warning(request, exc.bericht)
    except ValidationError as fout:
        for bericht in fout.messages:
            messages.error(request, bericht)
    else:
        if resultaat:
            messages.success(request, _("De wijziging is bewaard."))
        else:
            messages.info(request, _("Er was niets gewijzigd."))
    return _terug(school, persoon)


@require_POST
def personeel_rol(request, pk, persoon):
    school = _school(request, pk, beheren=True)
    persoon = _persoon(request, school, persoon)
    return _wijzigen(
        request,
        school,
        persoon,
        RolForm(request.POST),
        lambda d: personeel.rol_wijzigen(
            school=school,
            persoon=persoon,
            rol=d["rol"],
            actie=d["actie"],
            stand_=d["stand"],
            door=request.user,
        ),
    )


@require_POST
def personeel_toegang(request, pk, persoon):
    school = _school(request, pk, beheren=True)
    persoon = _persoon(request, school, persoon)
    return _wijzigen(
        request,
        school,
        persoon,
        ToegangForm(request.POST),
        lambda d: personeel.toegang_wijzigen(
            school=school,
            persoon=persoon,
            actief=d["actief"],
            stand_=d["stand"],
            door=request.user,
        ),
    )


@require_POST
def personeel_opnieuw_uitnodigen(request, pk, persoon):
    school = _school(request, pk, beheren=True)
    persoon = _persoon(request, school, persoon)
    personeel.uitnodiging_opnieuw_versturen(school=school, persoon=persoon, door=request.user)
    messages.success(
        request, _("De uitnodiging voor %(email)s is opnieuw verstuurd.") % {"email": persoon.email}
    )
    return _terug(school, persoon)


@require_http_methods(["GET", "POST"])
def personeel_account(request, pk, persoon):
    school = _school(request, pk, beheren=True)
    persoon = _persoon(request, school, persoon)
    if not policies.can_edit_personeel_account(request.user, school, persoon):
        raise Http404
    conflict = None
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                gewijzigd = personeel.account_wijzigen(
                    school=school,
                    persoon=persoon,
                    gegevens=form.cleaned_data,
                    stand_=form.cleaned_data["stand"],
                    door=request.user,
                )
            except VerouderdeVersie as exc:
                conflict = {"bericht": exc.bericht, "huidig": exc.huidig}
                data = request.POST.copy()
                data["stand"] = personeel.stand(exc.huidig, school)
                form = AccountForm(data)
                form.is_valid()
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                if gewijzigd:
                    messages.success(request, _("De wijziging is bewaard."))
                else:
                    messages.info(request, _("Er was niets gewijzigd."))
                return _terug(school, persoon)
    else:
        form = AccountForm(
            initial={
                "first_name": persoon.first_name,
                "last_name": persoon.last_name,
                "email": persoon.email,
                "stand": personeel.stand(persoon, school),
            }
        )
    return render(
        request,
        "beheer/personeel/account.html",
        {"school": school, "persoon": persoon, "form": form, "conflict": conflict},
    )


def _bevestigen(request, pk, persoon_pk, *, soort: str):
    """A rescue of a person's account, after a confirmation page."""
    school = _school(request, pk, beheren=True)
    persoon = _persoon(request, school, persoon_pk)
    if soort == "tweestaps" and not policies.can_edit_personeel_account(
        request.user, school, persoon
    ):
        raise Http404
    if request.method == "POST":
        if soort == "tweestaps":
            aantal = personeel.tweestaps_resetten(school=school, persoon=persoon, door=request.user)
            if aantal:
                messages.success(
                    request,
                    _(
                        "De tweestapsverificatie van %(email)s is gereset: bij de volgende "
                        "aanmelding stelt die ze opnieuw in."
                    )
                    % {"email": persoon.email},
                )
            else:
                messages.info(request, _("Deze persoon had geen tweestapsverificatie."))
        elif personeel.aanmeldblokkering_opheffen(
            school=school, persoon=persoon, door=request.user
        ):
            messages.success(request, _("De aanmeldblokkering is opgeheven."))
        else:
            messages.info(request, _("Er was geen aanmeldblokkering om op te heffen."))
        return _terug(school, persoon)
    return render(
        request,
        "beheer/personeel/bevestigen.html",
        {"school": school, "persoon": persoon, "soort": soort},
    )


@require_http_methods(["GET", "POST"])
def personeel_tweestaps_resetten(request, pk, persoon):
    return _bevestigen(request, pk, persoon, soort="tweestaps")


@require_http_methods(["GET", "POST"])
def personeel_blokkering_opheffen(request, pk, persoon):
    return _bevestigen(request, pk, persoon, soort="blokkering")
