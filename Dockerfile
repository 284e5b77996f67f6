# syntax=docker/dockerfile:1
# Newsroom web image: gunicorn + Django, static files collected at build, runs as a non-root user.
#   docker build -t newsroom .                    (add --build-arg EXTRAS=s3 for object storage)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: a virtualenv with the dependencies from pyproject.toml ---------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Only the dependency list first, so code changes reuse this layer.
# constraints.txt: the exact versions CI tested.
COPY pyproject.toml README.md constraints.txt ./
ARG EXTRAS=""
RUN pip install --upgrade pip setuptools \
 && pip install ".${EXTRAS:+[$EXTRAS]}" -c constraints.txt

# --- runtime ----------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/srv/media \
    PRIVATE_MEDIA_ROOT=/srv/private_media \
    PORT=8000
RUN groupadd --system --gid 10001 newsroom \
 && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom \
 && mkdir -p /srv/media /srv/private_media /srv/static /srv/wire \
 && chown newsroom:newsroom /srv/media /srv/private_media /srv/static /srv/wire
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .
# Hashed, compressed static files are part of the image; `release` copies them to nginx's volume.
RUN SECRET_KEY=collectstatic-only-not-secret DEBUG=0 python manage.py collectstatic --noinput \
 && chmod +x docker/entrypoint.sh scripts/*.sh
USER newsroom
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=4)" "http://127.0.0.1:$PORT/healthz"
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
