# The application image for docker-compose.yml: web (gunicorn), worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UPPDRAG_VAR_DIR=/var/lib/uppdrag
# ghostscript: the e-arkiv package's PDF/A (records/archive/pdfa.py)
RUN apt-get update && apt-get install -y --no-install-recommends gettext ghostscript \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
WORKDIR /app
COPY requirements.lock .
RUN uv pip install --system --no-cache -r requirements.lock
COPY . .
# compilemessages needs no settings; collectstatic loads them, which want a key (any will do)
RUN python -m django compilemessages --ignore=.venv --ignore=node_modules -v 0 \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
