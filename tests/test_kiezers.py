"""Every place where a person is chosen or notified about a student offers
and reaches only who may read that student's care content (issue 10): the
policy's two faces (`zorg_lezers` and `can_view_zorg`) agree; each picker
leaves out the secretariat, the functional administrator, an outsider and a
teacher of another class, and its service refuses them when the form is
tampered with; no notification path reaches them; and someone who already
owns an item by old data sees nothing of the student anywhere."""

import datetime
import logging
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clb.services import trajecten as clb_services
from clb.services.consultaties import consultatie_geven
from klassenraad.models import Actiepunt, BeslissingSoort, Bespreekvraag, Overleg, OverlegSoort
from klassenraad.services.actiepunten import ActiepuntFout, ActiepuntGegevens
from klassenraad.services.agenda import bespreekvraag_maken
from klassenraad.services.beslissingen import beslissing_registreren
from klassenraad.services.overleggen import overleg_plannen
from leerlingen.models import Leerling, VlagBetrokkene, VlagKleur, Zorgfase
from leerlingen.policies import (
    can_view_zorg,
    heeft_zorgtoegang_in_school,
    zorg_lezers,
    zorg_lezers_van_school,
)
from leerlingen.services.meldingen import melding_over_leerlingen
from leerlingen.services.vlagalarm import vlag_opnemen
from leerlingen.services.vlaggen import vlag_registreren
from tests.clb.factories import aanmelding
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.matrix import AANGEMELD, ZIET_ZORG_LEERLING_A
from zorg.meldingen.models import Melding

VANDAAG = timezone.localdate
DAG = datetime.timedelta(days=1)

# Who may never be chosen for, or told about, leerling_a (class 3A, school 1):
# no care content at all (secretariat, administrator), another school, another
# CLB, a teacher of another class, the CLB of the school while she is not in its
# reach, and the platform's superuser (no role in any school).
NIET_VOOR_LEERLING_A = sorted(set(AANGEMELD) - ZIET_ZORG_LEERLING_A)
# Who may never take part in a meeting of school 1: no care access there.
NIET_IN_SCHOOL1 = ["secretariaat", "beheerder", "buitenstaander", "clb_ander", "platform"]


def _vers(user):
    """The user without the access cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def cel(wereld):
    o = kf.overleg(wereld)
    kf.agendapunt(o, wereld.leerling_a)
    return o


# --- the policy: one rule, two faces -------------------------------------------------


def _lezers_volgens_predicaat(wereld, leerling) -> set:
    return {
        wereld.users[rol].pk
        for rol in AANGEMELD
        if can_view_zorg(_vers(wereld.users[rol]), leerling)
    }


@pytest.mark.parametrize("situatie", ["gewoon", "aangemeld", "op_cel", "cel_lang_dicht"])
def test_the_readers_queryset_and_the_predicate_agree(wereld, situatie):
    if situatie == "aangemeld":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    if situatie in ("op_cel", "cel_lang_dicht"):
        o = kf.overleg(wereld)
        kf.agendapunt(o, wereld.leerling_b)
        o.deelnemers.add(wereld.users["clb"], wereld.users["clb_ander"])
        if situatie == "cel_lang_dicht":
            Overleg.objects.filter(pk=o.pk).update(
                status=Overleg.Status.AFGESLOTEN, afgesloten_op=timezone.now() - 40 * DAG
            )
    for leerling in (wereld.leerling_a, wereld.leerling_b, wereld.leerling_x):
        assert set(zorg_lezers(leerling).values_list("pk", flat=True)) == (
            _lezers_volgens_predicaat(wereld, leerling)
        ), (situatie, leerling)
    # The situation mattered: the CLB reaches exactly what it should.
    clb = wereld.users["clb"].pk
    assert (clb in set(zorg_lezers(wereld.leerling_a).values_list("pk", flat=True))) == (
        situatie == "aangemeld"
    )
    assert (clb in set(zorg_lezers(wereld.leerling_b).values_list("pk", flat=True))) == (
        situatie == "op_cel"
    )


def test_readers_of_leerling_a_are_her_class_team_and_the_care_team(wereld):
    assert {u.pk for u in zorg_lezers(wereld.leerling_a)} == {
        wereld.users[rol].pk for rol in ZIET_ZORG_LEERLING_A
    }


def test_a_school_s_care_readers_leave_out_administration_and_outsiders(wereld):
    ids = set(zorg_lezers_van_school(wereld.school.pk).values_list("pk", flat=True))
    for rol in NIET_IN_SCHOOL1:
        assert wereld.users[rol].pk not in ids, rol
    for rol in ("leerkracht", "titularis", "leerkracht_b", "zorgcoordinator", "directie", "clb"):
        assert wereld.users[rol].pk in ids, rol
    # The queryset and its predicate agree, for every role and both schools.
    for school in (wereld.school, wereld.school2):
        ids = set(zorg_lezers_van_school(school.pk).values_list("pk", flat=True))
        for rol in AANGEMELD:
            user = wereld.users[rol]
            assert (user.pk in ids) == heeft_zorgtoegang_in_school(_vers(user), school.pk), rol


def test_the_readers_of_a_student_cost_a_fixed_number_of_queries(
    wereld, django_assert_max_num_queries
):
    # Guards against a query per candidate user: a picker lists them all.
    with django_assert_max_num_queries(3):
        list(zorg_lezers(wereld.leerling_a))


# --- picker: the owner of an action item -------------------------------------------------


def _beslissing_url(overleg) -> str:
    return reverse("klassenraad:beslissing_nieuw", args=[overleg.pk])


def _actiepunt_post(w, eigenaar) -> dict:
    return {
        "leerling": w.leerling_a.pk,
        "soort": BeslissingSoort.ACTIEPUNT,
        "tekst": "Verslag logopedie opvragen.",
        "actiepunt-omschrijving": "Verslag logopedie opvragen bij de ouders",
        "actiepunt-eigenaar": str(eigenaar.pk),
        "actiepunt-vervaldatum": (VANDAAG() + 7 * DAG).isoformat(),
    }


def test_the_owner_picker_offers_only_who_reads_the_students_care(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        _beslissing_url(cel),
        {"leerling": wereld.leerling_a.pk, "soort": BeslissingSoort.ACTIEPUNT},
    )
    keuzes = {pk for pk, _label in response.context["actiepunt_form"].fields["eigenaar"].choices}
    assert keuzes - {""} == {wereld.users[rol].pk for rol in ZIET_ZORG_LEERLING_A}
    html = response.content.decode()
    assert wereld.secretariaat.email not in html
    assert wereld.beheerder.email not in html


@pytest.mark.parametrize("rol", NIET_VOOR_LEERLING_A)
def test_a_tampered_owner_is_refused_beside_the_field(wereld, cel, client_voor, rol):
    response = client_voor(wereld.zorgcoordinator).post(
        _beslissing_url(cel), _actiepunt_post(wereld, wereld.users[rol])
    )
    assert response.status_code == 200
    fout = " ".join(response.context["actiepunt_form"].errors["eigenaar"])
    assert "zorgdossier van deze leerling mag inzien" in fout
    assert not Actiepunt.objects.exists()
    assert not Melding.objects.exists()


@pytest.mark.parametrize("rol", NIET_VOOR_LEERLING_A)
def test_the_action_item_service_refuses_an_owner_who_may_not_read_her(wereld, cel, rol):
    with pytest.raises(ActiepuntFout) as exc:
        beslissing_registreren(
            overleg=cel,
            leerling=wereld.leerling_a,
            soort=BeslissingSoort.ACTIEPUNT,
            tekst="Opvolgen.",
            door=wereld.zorgcoordinator,
            actiepunt=ActiepuntGegevens(
                omschrijving="Verslag opvragen",
                eigenaar=wereld.users[rol],
                vervaldatum=VANDAAG() + DAG,
            ),
        )
    assert "mag het zorgdossier van Lotte Peeters niet inzien" in " ".join(
        exc.value.message_dict["eigenaar"]
    )
    assert not Actiepunt.objects.exists()
    assert not Melding.objects.exists()


# --- picker: a meeting's chair and participants ----------------------------------------------


def _overleg_post(w, **kwargs) -> dict:
    data = {
        "soort": OverlegSoort.CEL,
        "school": w.school.pk,
        "datum": (VANDAAG() + 2 * DAG).isoformat(),
        "tijd": "15:30",
        "voorzitter": w.zorgcoordinator.pk,
        "deelnemers": [],
        "externen": "",
    }
    data.update(kwargs)
    return data


def test_the_participant_picker_leaves_out_who_has_no_care_access(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(reverse("klassenraad:overleg_nieuw"))
    form = response.context["form"]
    for veld in ("voorzitter", "deelnemers"):
        keuzes = {pk for pk, _label in form.fields[veld].choices}
        for rol in NIET_IN_SCHOOL1:
            assert wereld.users[rol].pk not in keuzes, (veld, rol)
        assert wereld.users["clb"].pk in keuzes
        assert wereld.leerkracht_b.pk in keuzes


@pytest.mark.parametrize("rol", NIET_IN_SCHOOL1)
@pytest.mark.parametrize("veld", ["voorzitter", "deelnemers"])
def test_a_tampered_participant_is_refused(wereld, client_voor, rol, veld):
    user = wereld.users[rol]
    waarde = [user.pk] if veld == "deelnemers" else user.pk
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("klassenraad:overleg_nieuw"), _overleg_post(wereld, **{veld: waarde})
    )
    assert response.status_code == 200
    assert "het zorgteam, de leerkrachten van de school of het CLB" in " ".join(
        response.context["form"].errors[veld]
    )
    assert not Overleg.objects.exists()


@pytest.mark.parametrize("rol", NIET_IN_SCHOOL1)
def test_the_meeting_service_refuses_a_participant_without_care_access(wereld, rol):
    with pytest.raises(ValidationError) as exc:
        overleg_plannen(
            school=wereld.school,
            soort=OverlegSoort.CEL,
            moment=timezone.now() + DAG,
            voorzitter=wereld.zorgcoordinator,
            deelnemers=[wereld.users[rol]],
            door=wereld.zorgcoordinator,
        )
    assert "mogen het zorgdossier van de leerlingen van Sint-Testcollege niet inzien" in (
        " ".join(exc.value.message_dict["deelnemers"])
    )
    assert not Overleg.objects.exists()


# --- picker: the CLB's trajectory lead, the care team member taking up a red flag ---------


def test_the_trajectory_lead_is_chosen_among_who_reads_the_student(wereld, client_voor):
    a = aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client_voor(wereld.users["clb"]).get(
        reverse("clb:aanmelding_aanvaarden", args=[a.pk])
    )
    keuzes = {pk for pk, _label in response.context["form"].fields["begeleider"].choices}
    assert keuzes == {wereld.users["clb"].pk}


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder", "clb_ander", "zorgcoordinator"])
def test_the_trajectory_service_refuses_a_lead_outside_the_clb(wereld, rol):
    a = aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    with pytest.raises(ValidationError) as exc:
        clb_services.aanmelding_aanvaarden(
            aanmelding=a, begeleider=wereld.users[rol], door=wereld.users["clb"]
        )
    assert "begeleider" in exc.value.message_dict


@pytest.mark.parametrize("rol", [*NIET_VOOR_LEERLING_A, "leerkracht", "titularis"])
def test_only_the_care_team_takes_up_a_red_flag(wereld, rol):
    vlag = vlag_met(
        wereld.leerling_a, klas=wereld.klas_a, kleur=VlagKleur.ROOD, gemeld_door=wereld.leerkracht
    )
    with pytest.raises(ValidationError):
        vlag_opnemen(vlag=vlag, door=wereld.zorgcoordinator, opnemer=wereld.users[rol])


# --- every notification path ----------------------------------------------------------------


def _registreer_vlag(w, kleur):
    return vlag_registreren(
        klas=w.klas_a,
        door=w.leerkracht,
        kleur=kleur,
        moment=timezone.now() - datetime.timedelta(minutes=10),
        leerlingen_met_rol=[(w.leerling_a, VlagBetrokkene.Rol.BETROKKEN)],
        omschrijving="Gooit met een stoel.",
        sleutel=uuid.uuid4(),
    )


def test_no_notification_path_reaches_who_may_not_read_the_student(wereld, cel):
    """Every path that notifies about a student, in turn; old data puts the
    secretariat and the administrator where a fan-out might pick them up (a
    class's titularis list)."""
    wereld.klas_a.klastitularissen.add(wereld.secretariaat, wereld.beheerder)
    cel.deelnemers.add(wereld.users["clb"])

    # A red flag (the alert), then a pattern of yellow flags (its signal).
    _registreer_vlag(wereld, VlagKleur.ROOD)
    for _ in range(3):
        _registreer_vlag(wereld, VlagKleur.GEEL)
    # A teacher asks for the student to be discussed on the cell.
    bespreekvraag_maken(
        leerling=wereld.leerling_a,
        waar=Bespreekvraag.Waar.CEL,
        reden="Trekt zich terug.",
        door=wereld.titularis,
    )
    # A decision with an action item for the CLB worker on the cell.
    beslissing_registreren(
        overleg=cel,
        leerling=wereld.leerling_a,
        soort=BeslissingSoort.AANMELDING_CLB,
        tekst="Aanmelden bij het CLB.",
        door=wereld.zorgcoordinator,
        hulpvraag="Hoe helpen we Lotte?",
        actiepunt=ActiepuntGegevens(
            omschrijving="Intake plannen",
            eigenaar=wereld.users["clb"],
            vervaldatum=VANDAAG() + DAG,
        ),
    )
    # The CLB accepts the referral and writes a consultation.
    clb_services.aanmelding_aanvaarden(
        aanmelding=wereld.leerling_a.aanmeldingen.get(),
        begeleider=wereld.users["clb"],
        door=wereld.users["clb"],
    )
    Leerling.objects.filter(pk=wereld.leerling_a.pk).update(
        zorgfase=Zorgfase.objects.get(schooltype=wereld.school.schooltype, nummer=1)
    )
    consultatie_geven(
        leerling=wereld.leerling_a,
        clb=wereld.clb,
        vraag="Wat kunnen we in de klas doen?",
        advies="Korte instructies, één opdracht tegelijk.",
        door=wereld.users["clb"],
    )

    ontvangen = set(Melding.objects.values_list("ontvanger_id", "titel"))
    titels = {titel for _pk, titel in ontvangen}
    # The walk did walk: each path notified someone.
    assert any(t.startswith("Rode vlag") for t in titels)
    assert any(t.startswith("Patroon") for t in titels)
    assert "Je kreeg een actiepunt" in titels
    assert "Nieuwe vraag om een leerling te bespreken op de cel" in titels
    assert "Nieuwe schriftelijke consultatie van het CLB" in titels
    assert len(titels) >= 6
    for rol in NIET_VOOR_LEERLING_A:
        if rol == "clb":
            continue  # on the cell and referred: reaches her by now
        assert not Melding.objects.filter(ontvanger=wereld.users[rol]).exists(), rol
    for ontvanger_id in {pk for pk, _titel in ontvangen}:
        ontvanger = get_user_model().objects.get(pk=ontvanger_id)
        assert can_view_zorg(ontvanger, wereld.leerling_a), ontvanger


def test_an_automatic_fan_out_skips_who_may_not_read_and_logs_it(wereld, caplog):
    iedereen = [wereld.users[rol] for rol in AANGEMELD]
    with caplog.at_level(logging.WARNING, logger="leerlingen.services.meldingen"):
        meldingen = melding_over_leerlingen(
            leerlingen=[wereld.leerling_a], ontvangers=iedereen, titel="Test", email=False
        )
    assert {m.ontvanger_id for m in meldingen} == {
        wereld.users[rol].pk for rol in ZIET_ZORG_LEERLING_A
    }
    assert str(wereld.secretariaat.pk) in caplog.text
    assert "Lotte" not in caplog.text


# --- old data: an owner who may not read the student sees nothing of her ----------------------


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder", "leerkracht_b", "buitenstaander"])
def test_an_owner_by_old_data_sees_nothing_of_the_student(wereld, cel, client_voor, rol):
    user = wereld.users[rol]
    cel.deelnemers.add(user)
    actiepunt = kf.actiepunt(
        cel, wereld.leerling_a, user, omschrijving="Verslag logopedie opvragen"
    )
    Melding.objects.create(
        ontvanger=user,
        school=wereld.school,
        titel="Je kreeg een actiepunt",
        link=reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk]),
    )
    client = client_voor(user)
    pagina_s = [
        reverse("start"),
        reverse("meldingen:melding_lijst"),
        reverse("klassenraad:actiepunt_lijst"),
        reverse("klassenraad:actiepunt_lijst") + "?wie=school",
    ]
    for url in pagina_s:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for geheim in ("Verslag logopedie opvragen", "Lotte", "Peeters", str(cel)):
            assert geheim not in html, (url, geheim)
    assert client.get(reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk])).status_code == (
        404
    )
    assert client.get(reverse("klassenraad:overleg_detail", args=[cel.pk])).status_code == 404
    afhandelen = client.post(
        reverse("klassenraad:actiepunt_afhandelen", args=[actiepunt.pk]),
        {"status": Actiepunt.Status.AFGEROND, "resultaat": "x", "versie": 1},
    )
    assert afhandelen.status_code == 404
    # The notification itself leads nowhere either.
    melding = Melding.objects.get(ontvanger=user)
    gevolgd = client.post(reverse("meldingen:melding_openen", args=[melding.pk]), follow=True)
    assert gevolgd.status_code == 404
