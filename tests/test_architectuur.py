"""Views, forms and context processors only ask the policies.

Who may see or do what is decided in each app's policies.py, on the core
scope of zorg.accounts.policies (house style, "The access policy"). A module
that shows pages or builds forms must not decide it again: it does not import
the roles or the membership models, does not read the raw scope
(`toegang`), and does not filter through memberships itself. This test
parses those modules and fails on any of that, so the rule stays true."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules that show pages, build forms or feed every template.
PATRONEN = (
    "*/views/*.py",
    "*/views.py",
    "*/*/views.py",
    "*/*/views_*.py",
    "*/*/*_views.py",
    "*/context_processors.py",
    "*/forms/*.py",
    "*/forms.py",
    "*/*/forms.py",
    "*/*/forms_*.py",
    "*/*/*_forms.py",
    "*/startkaarten.py",
    "*/*/startkaarten.py",
)

VERBODEN_IMPORTS = {
    "zorg.accounts.models": {"Rol", "Lidmaatschap", "CLBMedewerker"},
    "zorg.accounts.policies": {"toegang", "Toegang"},
}
LIDMAATSCHAP_MODELLEN = {"Lidmaatschap", "CLBMedewerker"}
# Relations from users, schools and CLBs to memberships, as lookups name them.
LIDMAATSCHAP_RELATIES = ("lidmaatschappen", "medewerkers__")
ROL_WAARDEN = {"leerkracht", "zorgcoordinator", "directie", "secretariaat", "beheerder"}


def _is_rol(node: ast.AST) -> bool:
    """`Rol.DIRECTIE` or the bare value "directie"."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Rol"
    return isinstance(node, ast.Constant) and node.value in ROL_WAARDEN


def _noemt_lidmaatschap(tekst: str | None) -> bool:
    return bool(tekst) and any(relatie in tekst for relatie in LIDMAATSCHAP_RELATIES)


def toegangsbeslissingen(bron: str) -> list[str]:
    """What in this module's source decides access itself, one line each."""
    gevonden = []
    for node in ast.walk(ast.parse(bron)):
        regel = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and node.module in VERBODEN_IMPORTS:
            for alias in node.names:
                if alias.name in VERBODEN_IMPORTS[node.module]:
                    gevonden.append(f"{regel}: imports {alias.name} from {node.module}")
        elif isinstance(node, ast.Name) and node.id in LIDMAATSCHAP_MODELLEN:
            gevonden.append(f"{regel}: uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in LIDMAATSCHAP_MODELLEN:
            gevonden.append(f"{regel}: uses {node.attr}")
        elif isinstance(node, ast.keyword) and (
            _noemt_lidmaatschap(node.arg) or (node.arg or "").startswith("rol__")
        ):
            gevonden.append(f"{regel}: filters on {node.arg}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "__" in node.value
            and _noemt_lidmaatschap(node.value)
        ):
            gevonden.append(f"{regel}: filters on {node.value!r}")
        elif isinstance(node, ast.Compare):
            kanten = [node.left, *node.comparators]
            if any(isinstance(k, ast.Attribute) and k.attr == "rol" for k in kanten) and any(
                _is_rol(k) or isinstance(k, ast.Tuple | ast.List | ast.Set) for k in kanten
            ):
                gevonden.append(f"{regel}: compares a membership's role")
    return gevonden


def _modules() -> list[str]:
    paden = set()
    for patroon in PATRONEN:
        for pad in ROOT.glob(patroon):
            relatief = pad.relative_to(ROOT).as_posix()
            if not relatief.startswith((".", "tests/")):
                paden.add(relatief)
    return sorted(paden)


MODULES = _modules()


def test_the_guard_finds_the_modules_it_guards():
    for verwacht in (
        "leerlingen/views/maatregelen.py",
        "klassenraad/views/actiepunten.py",
        "clb/views/school.py",
        "clb/context_processors.py",
        "klassenraad/context_processors.py",
        "leerlingen/forms/vlaggen.py",
        "zorg/views.py",
        "leerlingen/startkaarten.py",
        "zorg/meldingen/startkaarten.py",
        "zorg/beheer/overgang_views.py",
        "zorg/beheer/overgang_forms.py",
    ):
        assert verwacht in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_a_view_form_or_context_processor_leaves_access_to_the_policies(module):
    bevindingen = toegangsbeslissingen((ROOT / module).read_text(encoding="utf-8"))
    assert not bevindingen, (
        f"{module} decides access itself; ask its app's policies.py instead:\n"
        + "\n".join(bevindingen)
    )


@pytest.mark.parametrize(
    "bron",
    [
        "from zorg.accounts.models import Rol",
        "from zorg.accounts.models import School, Lidmaatschap",
        "from zorg.accounts.models import CLBMedewerker as M",
        "from zorg.accounts.policies import toegang",
        "from zorg.accounts.policies import Toegang",
        "Lidmaatschap.objects.filter(user=user)",
        "models.CLBMedewerker.objects.all()",
        "User.objects.filter(lidmaatschappen__school_id=1)",
        "User.objects.filter(clb_lidmaatschappen__clb=clb)",
        "CLB.objects.filter(medewerkers__user=user)",
        "User.objects.filter(rol__in=rollen)",
        "qs.values_list('lidmaatschappen__rol', flat=True)",
        "Q(clb__medewerkers__actief=True)",
        "if lid.rol == Rol.DIRECTIE: pass",
        "if lid.rol == 'zorgcoordinator': pass",
        "ok = lid.rol in (a, b)",
    ],
)
def test_the_guard_catches_an_access_decision(bron):
    assert toegangsbeslissingen(bron)


@pytest.mark.parametrize(
    "bron",
    [
        "from zorg.accounts.models import School, Schooljaar",
        "from zorg.accounts.policies import zorgteam_scholen_visible_to",
        "from .. import policies\nleerling = policies.get_leerling_for_user(user, pk)",
        # A flag's involved students have roles too: not a membership.
        "label = VlagBetrokkene.Rol(vlag.rol).label if vlag.rol else ''",
        "qs.annotate(rol=Subquery(betrokkenen.values('rol')[:1]))",
        "lijst = 'lidmaatschappen'",
    ],
)
def test_the_guard_lets_a_view_that_only_asks_pass(bron):
    assert not toegangsbeslissingen(bron)
