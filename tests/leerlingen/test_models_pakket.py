"""leerlingen.models is a package of one module per part; every model stays
importable from the package itself."""

from django.apps import apps

import leerlingen.models


def test_every_model_of_the_app_is_exported_by_leerlingen_models():
    modellen = list(apps.get_app_config("leerlingen").get_models())
    assert len(modellen) > 20
    for model in modellen:
        assert getattr(leerlingen.models, model.__name__) is model, model.__name__
        assert model.__name__ in leerlingen.models.__all__, model.__name__


def test_the_upload_path_migration_0003_names_stays_where_it_looks():
    from leerlingen.models.zorg import _document_pad

    assert leerlingen.models._document_pad is _document_pad
