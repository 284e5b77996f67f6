#!/usr/bin/env bash
# CI without a Docker engine: everything of the deployment that can run natively.
#   - installs what it needs if missing (Debian: docker-compose for `config`, nginx-light);
#   - validates docker-compose.yml with `docker-compose config` (as an operator's .env would have it);
#   - reruns the ops tests that need those tools (they skip without them in `make test`): the
#     compose checks, and the web entrypoint run against PostgreSQL and Redis behind nginx rendered
#     from our template. Any skipped test fails this script. (Settings, check --deploy, health and
#     backup/restore tests need nothing extra and run in `make test`.)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v pg_dump >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "ci_ops_smoke: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
project=$(mktemp -d)
build=$(mktemp -d)
trap 'rm -rf "$project" "$build"' EXIT

echo "ci_ops_smoke: docker-compose config"
cp docker-compose.yml "$project/"
sed -e "s/^SECRET_KEY=$/SECRET_KEY=ci-$(random_hex 32)/" \
    -e "s/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=ci$(random_hex 12)/" \
    .env.example > "$project/.env"
(cd "$project" && docker-compose config -q)
echo "docker-compose.yml is valid"

echo "ci_ops_smoke: the image's build steps (runtime dependencies only, collectstatic, check --deploy)"
# As the Dockerfile does: a fresh virtualenv with pyproject.toml's runtime dependencies (no dev
# extras) at the versions constraints.txt pins, so app code that imports a dev-only package fails
# here rather than in production.
cp pyproject.toml README.md constraints.txt "$build/"
python3 -m venv "$build/venv"
"$build/venv/bin/pip" install --quiet --disable-pip-version-check "$build" -c "$build/constraints.txt"
SECRET_KEY=collectstatic-only-not-secret DEBUG=0 STATIC_ROOT="$build/static" \
  "$build/venv/bin/python" manage.py collectstatic --noinput -v0
SECRET_KEY="ci-$(random_hex 48)" DEBUG=0 ALLOWED_HOSTS=news.example.com \
  STATIC_ROOT="$build/static" "$build/venv/bin/python" manage.py check --deploy --fail-level WARNING

echo "ci_ops_smoke: ops tests"
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom}
log=$(mktemp)
set +e
.venv/bin/python -m pytest -p no:cacheprovider -rs tests/test_ops_compose.py tests/test_ops_stack.py 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if grep -q "skipped" "$log"; then
  echo "ci_ops_smoke: some ops tests were skipped (see above); they must all run in CI" >&2
  exit 1
fi
echo "ci_ops_smoke: passed"
