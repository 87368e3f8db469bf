# Zorg web, worker and beat image. See README.md "With Docker Compose".
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The code runs from /app (templates/, static/ and locale/ live beside it);
    # it is not installed as a package.
    PYTHONPATH=/app \
    ZORG_STATIC_ROOT=/app/staticfiles \
    ZORG_MEDIA_ROOT=/data/media

# WeasyPrint (PDF reports) needs Pango and HarfBuzz, and a font; gettext compiles
# the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system zorg \
    && useradd --system --gid zorg --home-dir /app --no-create-home --shell /usr/sbin/nologin zorg

WORKDIR /app
# The versions CI tested, each file checked against its hash (`make lock`).
COPY requirements/run.txt ./requirements/run.txt
RUN pip install --no-deps --require-hashes -r requirements/run.txt && pip check

COPY zorg ./zorg
COPY leerlingen ./leerlingen
COPY klassenraad ./klassenraad
COPY clb ./clb
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Static files (hashed names, compressed) and translations are part of the image.
# DATABASE_URL selects the production static storage; nothing connects to it here.
# The throwaway key and base URL only exist during this build step.
RUN ZORG_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    DATABASE_URL=postgres://build@localhost/build \
    ZORG_BASE_URL=https://build.invalid \
    sh -c 'python manage.py collectstatic --noinput --verbosity=0 && python manage.py compilemessages --verbosity=0'

# Uploaded documents: a volume, owned by the app user, outside every web-served directory.
RUN mkdir -p /data/media && chown zorg:zorg /data/media && chmod 750 /data/media
VOLUME ["/data/media"]

USER zorg
EXPOSE 8000
CMD ["gunicorn", "zorg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
