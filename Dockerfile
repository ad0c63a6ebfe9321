# The one image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Pango and fonts for WeasyPrint's PDFs; nothing else from the system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
# Locked dependencies first, so code changes reuse this layer.
COPY requirements.lock .
RUN pip install -r requirements.lock

COPY --chown=app:app . .
# Hashed, compressed static files, served by whitenoise. The key only satisfies the settings
# module at build time; the real one comes from the environment at run time.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /data/media && chown -R app:app /data /app/staticfiles

USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "bpdialogue.wsgi:application"]
