"""The few SQL expressions the figures need that Django does not ship:
a percentile and differences of dates and moments as plain numbers; and
the one hand-written statement, students per phase on the reference dates
(`fasen_op_peildata`), which the ORM could only write as a correlated
subquery per enrolment and date.

PostgreSQL (production, tests) computes percentiles with the ordered-set
aggregate `percentile_cont`. SQLite (the embedded mode) has none: there a
percentile is NULL, so the report shows "no value" rather than a number
computed some other way. Counts and shares are the same on both."""

from django.db.models import Aggregate, FloatField, Func, IntegerField

from clb.models import HGDTraject
from leerlingen.models import Inschrijving, Klas, Leerling, Zorgfase, ZorgfaseWijziging
from zorg.accounts.models import Campus


class Percentiel(Aggregate):
    """The `fractie` percentile (0.5: the median) of an expression, by
    linear interpolation (`percentile_cont`). NULL on SQLite."""

    function = "PERCENTILE_CONT"
    name = "Percentiel"
    template = "%(function)s(%(fractie)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expressie, fractie: float, **extra):
        if not 0 <= fractie <= 1:
            raise ValueError("A percentile lies between 0 and 1")
        super().__init__(expressie, fractie=repr(float(fractie)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class Dagen(Func):
    """`tot - van` in whole days, for two date columns."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, tot, van, **extra):
        super().__init__(tot, van, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class Minuten(Func):
    """`tot - van` in minutes (with fractions), for two moments."""

    output_field = FloatField()
    arity = 2

    def __init__(self, tot, van, **extra):
        super().__init__(tot, van, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 60.0)",
            arg_joiner=" - ",
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 1440.0)",
            arg_joiner=") - julianday(",
        )


# --- students per phase on the reference dates -----------------------------------

_FASEN_OP_PEILDATA = """
WITH peil (schooljaar_id, school_id, dl, {peil_kolommen}) AS (VALUES {peil_rijen}),
wijziging AS (
    SELECT w.leerling_id, l.school_id, w.datum, w.van_id, w.naar_id,
           LEAD(w.datum) OVER volgorde AS tot,
           ROW_NUMBER() OVER volgorde AS nr
    FROM {wijziging} w
    JOIN {leerling} l ON l.id = w.leerling_id
    WHERE l.school_id IN ({scholen})
    WINDOW volgorde AS (PARTITION BY w.leerling_id ORDER BY w.datum, w.aangemaakt, w.id)
),
periode AS (
    SELECT w.leerling_id, w.school_id, w.datum AS van, w.tot, z.nummer, z.soort
    FROM wijziging w JOIN {zorgfase} z ON z.id = w.naar_id
    UNION ALL
    SELECT w.leerling_id, w.school_id, NULL, w.datum, z.nummer, z.soort
    FROM wijziging w JOIN {zorgfase} z ON z.id = w.van_id
    WHERE w.nr = 1
),
fase AS (
    SELECT f.leerling_id, {fase_kolommen},
           MAX(CASE WHEN {in_periode_laatste} THEN f.soort END) AS soort_laatste
    FROM periode f JOIN peil p ON p.school_id = f.school_id
    GROUP BY f.leerling_id
),
meer AS (
    SELECT i.leerling_id
    FROM {inschrijving} i JOIN {klas} k ON k.id = i.klas_id
    WHERE k.schooljaar_id IN (SELECT schooljaar_id FROM peil)
    GROUP BY i.leerling_id
    HAVING COUNT(*) > 1
),
later AS (
    SELECT a.id, {later_kolommen}
    FROM meer m
    JOIN {inschrijving} a ON a.leerling_id = m.leerling_id
    JOIN {klas} ka ON ka.id = a.klas_id
    JOIN peil p ON p.schooljaar_id = ka.schooljaar_id
    JOIN {inschrijving} b ON b.leerling_id = a.leerling_id
        AND (b.begin > a.begin OR (b.begin = a.begin AND b.id > a.id))
    JOIN {klas} kb ON kb.id = b.klas_id AND kb.schooljaar_id = ka.schooljaar_id
    GROUP BY a.id
),
traject AS (
    SELECT t.leerling_id, t.stap,
           ROW_NUMBER() OVER (
               PARTITION BY t.leerling_id ORDER BY t.geopend_op DESC, t.id DESC
           ) AS nr
    FROM peil p
    JOIN {traject} t
        ON t.geopend_op <= p.dl AND (t.afgesloten_op IS NULL OR t.afgesloten_op > p.dl)
    JOIN {leerling} l ON l.id = t.leerling_id AND l.school_id = p.school_id
),
rij AS (
    SELECT p.school_id, k.leerjaar, c.naam AS campus,
           {rij_kolommen},
           CASE WHEN COALESCE(f.soort_laatste, huidig.soort) = %s THEN 1 ELSE 0 END AS uitbreiding,
           CASE WHEN COALESCE(f.soort_laatste, huidig.soort) = %s THEN t.stap END AS stap
    FROM peil p
    JOIN {klas} k ON k.schooljaar_id = p.schooljaar_id
    JOIN {inschrijving} i ON i.klas_id = k.id
    JOIN {leerling} l ON l.id = i.leerling_id AND l.school_id = p.school_id
    JOIN {zorgfase} huidig ON huidig.id = l.zorgfase_id
    LEFT JOIN {campus} c ON c.id = k.campus_id
    LEFT JOIN later x ON x.id = i.id
    LEFT JOIN traject t ON t.leerling_id = i.leerling_id AND t.nr = 1
    LEFT JOIN fase f ON f.leerling_id = i.leerling_id
)
SELECT rij.*, COUNT(*) AS n
FROM rij
GROUP BY {alle}
"""


def fasen_op_peildata(
    connection, jaren: list[tuple[int, int, list, int]], uitbreiding: str
) -> tuple[str, list, int]:
    """The one statement that counts the students of `jaren` per phase on
    each reference date (zorgbeleid.cijfers, Peildatum), with the phase-2
    figure of the last reference date, and its parameters.

    `jaren`: (school id, school year id, the dates in column order (None
    where the school has none), index of the school's last reference date).
    The rows: school id, grade, campus name, per date whether the enrolment
    counts on it (0/1), per date the phase number on it, whether the phase
    on the last date is of the soort `uitbreiding` (0/1), the stage of the
    student's trajectory running on that date (only then), and `n`.

    A student counts on a date through their enrolment in a class of the
    school year that covers it; of two covering ones, the later one (begin,
    then id). Their phase on a date is that of the period of their phase
    history holding it: from a change (inclusive) to their next one
    (exclusive) the `naar` of the change; before the first change its `van`;
    without changes, their current phase. So a row per enrolment, not per
    enrolment and date; the history is read once, and every join is on the
    student or the class: the work grows with the enrolments and changes,
    not with their product. Plain SQL that PostgreSQL and SQLite (3.28+,
    window clauses) both run; only the type of a date parameter is written
    per database (SQLite keeps dates as ISO text)."""
    q = connection.ops.quote_name
    tabel = {
        naam: q(model._meta.db_table)
        for naam, model in {
            "wijziging": ZorgfaseWijziging,
            "leerling": Leerling,
            "zorgfase": Zorgfase,
            "inschrijving": Inschrijving,
            "klas": Klas,
            "traject": HGDTraject,
            "campus": Campus,
        }.items()
    }
    aantal = len(jaren[0][2])
    datum = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    kolommen = range(aantal)
    dekt = "{t}.begin <= p.d{k} AND ({t}.einde IS NULL OR {t}.einde >= p.d{k})"
    params: list = []
    for school_id, schooljaar_id, data, laatste in jaren:
        params += [schooljaar_id, school_id, data[laatste], *data]
    params += [school_id for school_id, *_ in jaren]
    params += [uitbreiding, uitbreiding]
    in_periode = "(f.van IS NULL OR f.van <= p.{d}) AND (f.tot IS NULL OR f.tot > p.{d})"
    sql = _FASEN_OP_PEILDATA.format(
        peil_kolommen=", ".join(f"d{k}" for k in kolommen),
        peil_rijen=", ".join("(%s, %s, " + ", ".join([datum] * (aantal + 1)) + ")" for _ in jaren),
        scholen=", ".join(["%s"] * len(jaren)),
        later_kolommen=", ".join(
            f"MAX(CASE WHEN {dekt.format(t='b', k=k)} THEN 1 ELSE 0 END) AS l{k}" for k in kolommen
        ),
        rij_kolommen=",\n           ".join(
            [
                f"CASE WHEN {dekt.format(t='i', k=k)} AND COALESCE(x.l{k}, 0) = 0 "
                f"THEN 1 ELSE 0 END AS telt{k}"
                for k in kolommen
            ]
            + [f"COALESCE(f.fase{k}, huidig.nummer) AS fase{k}" for k in kolommen]
        ),
        fase_kolommen=", ".join(
            f"MAX(CASE WHEN {in_periode.format(d=f'd{k}')} THEN f.nummer END) AS fase{k}"
            for k in kolommen
        ),
        in_periode_laatste=in_periode.format(d="dl"),
        alle=", ".join(str(n) for n in range(1, 3 + 2 * aantal + 2 + 1)),
        **tabel,
    )
    return sql, params, aantal
