# syntax=docker/dockerfile:1.7
# MLflow tracking server for Cloud Run: Cloud SQL (MySQL) backend store, GCS artifact store served
# through the server's artifact proxy, listening on $PORT as Cloud Run sets it.
# Build from the repository root: docker build -f docker/mlflow.Dockerfile -t mlflow-server .
FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8080
COPY docker/mlflow/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt \
  && groupadd --gid 10001 mlflow \
  && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin mlflow
COPY --chmod=0555 docker/mlflow/entrypoint.sh /usr/local/bin/mlflow-entrypoint
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8080')}/health\", timeout=4)"]
ENTRYPOINT ["/usr/local/bin/mlflow-entrypoint"]
