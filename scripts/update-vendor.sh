#!/usr/bin/env bash
# Refresh the vendored front-end assets in static/vendor/ from the npm registry.
#
#   scripts/update-vendor.sh                 # latest bootstrap 5.3.x, htmx.org 2.x, DejaVu 2.x
#   scripts/update-vendor.sh 5.3.8 2.0.4 2.37.3  # exact versions
#
# Only `npm pack` is used (it downloads the published tarball, runs no package
# scripts and installs nothing). Afterwards update the versions in
# static/vendor/README.md and look at `git diff --stat static/vendor`.
set -euo pipefail

bootstrap_spec="bootstrap@${1:-5.3}"
htmx_spec="htmx.org@${2:-2}"
dejavu_spec="dejavu-fonts-ttf@${3:-2}"

cd "$(dirname "$0")/.."
dest=static/vendor
command -v npm >/dev/null || { echo "npm is needed (apt-get install npm)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$bootstrap_spec" "$htmx_spec" "$dejavu_spec" >/dev/null)
for tgz in "$work"/*.tgz; do
    mkdir -p "${tgz%.tgz}"
    tar -xzf "$tgz" -C "${tgz%.tgz}"
done
bs=$(echo "$work"/bootstrap-*/package)
hx=$(echo "$work"/htmx.org-*/package)
dv=$(echo "$work"/dejavu-fonts-ttf-*/package)

mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/htmx" "$dest/dejavu"
# The source maps are not vendored, so drop the comments that point to them:
# Django's ManifestStaticFilesStorage would fail collectstatic on the missing files.
sed -E '\%^/\*# sourceMappingURL=[^ ]+ \*/$%d' "$bs/dist/css/bootstrap.min.css" >"$dest/bootstrap/css/bootstrap.min.css"
sed -E '\%^//# sourceMappingURL=[^ ]+$%d' "$bs/dist/js/bootstrap.bundle.min.js" >"$dest/bootstrap/js/bootstrap.bundle.min.js"
cp "$bs/LICENSE" "$dest/bootstrap/LICENSE"
sed -E '\%^//# sourceMappingURL=[^ ]+$%d' "$hx/dist/htmx.min.js" >"$dest/htmx/htmx.min.js"
cp "$hx/LICENSE" "$dest/htmx/LICENSE"
# The PDFs' font (WeasyPrint embeds it): regular, bold and oblique Sans only.
for font in DejaVuSans DejaVuSans-Bold DejaVuSans-Oblique; do
    cp "$dv/ttf/$font.ttf" "$dest/dejavu/$font.ttf"
done
cp "$dv/LICENSE" "$dest/dejavu/LICENSE"

python3 - "$bs/package.json" "$hx/package.json" "$dv/package.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    meta = json.load(open(path))
    print(f"{meta['name']} {meta['version']}")
PY
