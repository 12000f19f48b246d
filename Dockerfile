# Attune: one image for web (gunicorn, the default command), worker, beat and the
# one-shot migrate job. See docker-compose.yml for how they are wired together.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 10001 attune \
    && useradd --system --uid 10001 --gid attune --no-log-init \
       --home-dir /app --shell /usr/sbin/nologin attune

WORKDIR /app

# Dependencies first, so editing the code does not reinstall them: the runtime lockfile
# (`make lock`), every version pinned and every file's hash checked.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .

# Hashed, compressed static files for WhiteNoise. Needs no database and no secret;
# the settings' side effects (var/ folders) go to a throwaway VAR_DIR. The real
# var/ (beat's schedule file) must be writable by the unprivileged user.
RUN SECRET_KEY=build DEBUG=0 VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && python -m compileall -q . \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var \
    && chown attune:attune /app/var

USER 10001:10001

EXPOSE 8000

# No curl in slim: ask /healthz with Python. The Host header is SITE_URL's (or
# DOMAIN's), so the check passes ALLOWED_HOSTS; X-Forwarded-Proto keeps
# SECURE_SSL_REDIRECT (behind a proxy) from redirecting it. A 503 raises, which makes the check fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.parse, urllib.request; host = urllib.parse.urlsplit(os.environ.get('SITE_URL') or 'https://' + os.environ.get('DOMAIN', 'localhost')).netloc or 'localhost'; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# Workers come from WEB_CONCURRENCY (gunicorn reads it); threads serve slow clients.
# --reuse-port gives each worker its own listening socket, so the kernel spreads new
# connections over the workers (without it, the first worker awake takes a whole burst).
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--threads", "4", "--reuse-port", \
     "--timeout", "30", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", "--error-logfile", "-"]
