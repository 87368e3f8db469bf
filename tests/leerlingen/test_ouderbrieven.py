"""The parent letter: informing the parents (a frozen copy, the timeline,
the audit trail), recording their response (versioned; agreement reaches the
measures it asked about), and what the letter never holds."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from leerlingen.models import Maatregel, Ouderbrief, TijdlijnItem, Zichtbaarheid
from leerlingen.services.ouderbrieven import ouderbrief_maken, ouderbrief_reactie_vastleggen
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.audit.models import Actie, AuditEvent
from zorg.versies import VerouderdeVersie

VANDAAG = datetime.date.today()
DAG = datetime.timedelta(days=1)


def _brief(wereld, op=None) -> Ouderbrief:
    return ouderbrief_maken(
        leerling=wereld.leerling_a, geinformeerd_op=op or VANDAAG, door=wereld.zorgcoordinator
    )


def _reactie(wereld, brief, reactie=Ouderbrief.Reactie.AKKOORD, **kwargs) -> Ouderbrief:
    kwargs.setdefault("versie", brief.versie)
    kwargs.setdefault("reactie_op", VANDAAG)
    return ouderbrief_reactie_vastleggen(
        brief=brief, reactie=reactie, door=wereld.zorgcoordinator, **kwargs
    )


def test_informing_the_parents_freezes_what_they_were_told_on_the_care_team_timeline(wereld):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Extra tijd", ouderomschrijving="Meer tijd")

    brief = _brief(wereld)

    assert brief.inhoud["maatregelen"][0]["titel_voor_ouders"] == "Meer tijd"
    assert brief.schooljaar == wereld.schooljaar
    assert brief.reactie == Ouderbrief.Reactie.GEEN
    item = TijdlijnItem.objects.get(bron_type="leerlingen.ouderbrief", bron_id=brief.pk)
    assert item.soort == TijdlijnItem.Soort.OUDERBRIEF
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.titel == "Ouders geïnformeerd"
    assert AuditEvent.objects.filter(
        onderwerp="ouderbrief", actie=Actie.AANMAKEN, object_id=str(brief.pk)
    ).exists()


def test_a_later_change_of_a_measure_does_not_rewrite_the_letter(wereld):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, titel="Extra tijd")
    brief = _brief(wereld)

    Maatregel.objects.filter(pk=maatregel.pk).update(titel="Iets heel anders")

    brief.refresh_from_db()
    assert brief.inhoud["maatregelen"][0]["titel_voor_ouders"] == "Extra tijd"


def test_parents_cannot_be_informed_in_the_future(wereld):
    with pytest.raises(ValidationError) as fout:
        _brief(wereld, op=VANDAAG + DAG)
    assert "geinformeerd_op" in fout.value.message_dict
    assert not Ouderbrief.objects.exists()


def test_agreement_gives_the_measures_the_letter_asked_about_their_agreement(wereld):
    gevraagd = MaatregelFactory(leerling=wereld.leerling_a, akkoord_nodig=True)
    niet_nodig = MaatregelFactory(leerling=wereld.leerling_a)
    brief = _brief(wereld)
    later = MaatregelFactory(leerling=wereld.leerling_a, akkoord_nodig=True)

    brief = _reactie(wereld, brief, Ouderbrief.Reactie.AKKOORD_OPMERKINGEN, opmerking="Graag")

    gevraagd.refresh_from_db()
    assert gevraagd.ouders_akkoord and gevraagd.ouders_akkoord_op == VANDAAG
    assert gevraagd.versie == 2
    niet_nodig.refresh_from_db()
    later.refresh_from_db()
    assert not niet_nodig.ouders_akkoord and not later.ouders_akkoord
    assert AuditEvent.objects.filter(onderwerp="maatregel", object_id=str(gevraagd.pk)).exists()
    item = TijdlijnItem.objects.get(bron_type="leerlingen.ouderbrief", bron_id=brief.pk)
    assert "akkoord met opmerkingen" in item.tekst


def test_disagreement_gives_no_measure_its_agreement(wereld):
    gevraagd = MaatregelFactory(leerling=wereld.leerling_a, akkoord_nodig=True)
    brief = _brief(wereld)

    _reactie(wereld, brief, Ouderbrief.Reactie.NIET_AKKOORD, opmerking="Liever niet")

    gevraagd.refresh_from_db()
    assert not gevraagd.ouders_akkoord


@pytest.mark.parametrize(
    ("kwargs", "veld"),
    [
        ({"reactie_op": None}, "reactie_op"),
        ({"reactie_op": VANDAAG + DAG}, "reactie_op"),
        ({"reactie_op": VANDAAG - 10 * DAG}, "reactie_op"),
        ({"reactie": Ouderbrief.Reactie.AKKOORD_OPMERKINGEN, "opmerking": " "}, "opmerking"),
        ({"reactie": "misschien"}, "reactie"),
    ],
)
def test_a_response_with_bad_input_is_refused_with_a_message_per_field(wereld, kwargs, veld):
    brief = _brief(wereld, op=VANDAAG - 2 * DAG)

    with pytest.raises(ValidationError) as fout:
        _reactie(wereld, brief, **kwargs)

    assert veld in fout.value.message_dict
    brief.refresh_from_db()
    assert brief.reactie == Ouderbrief.Reactie.GEEN and brief.versie == 1


def test_two_responses_from_the_same_version_the_second_is_refused(wereld):
    brief = _brief(wereld)
    _reactie(wereld, brief, Ouderbrief.Reactie.AKKOORD)

    with pytest.raises(VerouderdeVersie) as fout:
        _reactie(wereld, brief, Ouderbrief.Reactie.NIET_AKKOORD, versie=1)

    assert fout.value.huidig.reactie == Ouderbrief.Reactie.AKKOORD
    brief.refresh_from_db()
    assert brief.reactie == Ouderbrief.Reactie.AKKOORD and brief.versie == 2
