#!/bin/sh
# The database role web, worker and beat connect as (docker-compose.yml).
#
# The postgres image runs this once, when it creates the database in a new
# volume. For a volume made before, run it once by hand:
#   docker compose exec db /docker-entrypoint-initdb.d/zorg-app-role.sh
# What the role may do is granted by `manage.py migrate` (zorg/audit/rechten.py).
set -eu
psql --no-psqlrc --set=ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \
    --set=role="$ZORG_DB_APP_ROLE" --set=password="$ZORG_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
SQL
