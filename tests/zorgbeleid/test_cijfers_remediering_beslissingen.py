"""The care-policy figures count the guiding class council's remediation
decisions, the whole class's (which has no agenda item) too."""

import pytest
import time_machine

from klassenraad.models import Agendapunt, Beslissing, BeslissingSoort, Overleg, OverlegSoort
from tests.datums import lokaal
from tests.zorgbeleid import wereld
from zorgbeleid.cijfers import schoolcijfers

pytestmark = pytest.mark.django_db

cijferwereld = wereld.cijferwereld


def test_the_class_level_remediation_decision_counts_among_the_decisions(cijferwereld):
    cw = cijferwereld
    raad = Overleg.objects.get(school=cw.school, soort=OverlegSoort.BEGELEIDEND)
    punt = Agendapunt.objects.get(overleg=raad)
    for agendapunt in (None, punt):
        Beslissing.objects.create(
            overleg=raad,
            agendapunt=agendapunt,
            soort=BeslissingSoort.REMEDIERING,
            tekst="Remediëring Wiskunde",
            door=raad.voorzitter,
        )
    with time_machine.travel(lokaal(2027, 7, 15), tick=False):
        c = schoolcijfers(cw.school, cw.jaar)
    assert c.overleggen.beslissingen_per_soort["remediering"] == 2
    assert c.overleggen.beslissingen_per_soort["afspraak"] == 2
