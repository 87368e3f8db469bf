"""The few SQL expressions the figures need that Django does not ship:
a percentile and differences of dates and moments as plain numbers.

PostgreSQL (production, tests) computes percentiles with the ordered-set
aggregate `percentile_cont`. SQLite (the embedded mode) has none: there a
percentile is NULL, so the report shows "no value" rather than a number
computed some other way. Counts and shares are the same on both."""

from django.db.models import Aggregate, FloatField, Func, IntegerField


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
