#!/bin/sh
# Starts the MLflow server on $PORT (Cloud Run sets it). The database URI comes from the
# environment, where Cloud Run injects it from Secret Manager; it is never baked into the image.
set -eu
: "${MLFLOW_BACKEND_STORE_URI:?set MLFLOW_BACKEND_STORE_URI, e.g. mysql+pymysql://user:password@/mlflow?unix_socket=/cloudsql/PROJECT:REGION:INSTANCE}"
: "${MLFLOW_ARTIFACTS_DESTINATION:?set MLFLOW_ARTIFACTS_DESTINATION, e.g. gs://BUCKET/artifacts}"
exec mlflow server \
  --host 0.0.0.0 \
  --port "${PORT:-8080}" \
  --workers "${MLFLOW_WORKERS:-2}" \
  --backend-store-uri "${MLFLOW_BACKEND_STORE_URI}" \
  --artifacts-destination "${MLFLOW_ARTIFACTS_DESTINATION}" \
  --serve-artifacts \
  ${MLFLOW_SERVER_EXTRA_ARGS:-}
