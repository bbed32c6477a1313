# syntax=docker/dockerfile:1.7
# GPU training image: `trainer train` on @tensorflow/tfjs-node-gpu, which needs CUDA 11.2 and cuDNN 8.1.
# Build from the repository root: docker build -f docker/trainer-gpu.Dockerfile -t mnist-trainer-gpu .
FROM node:20.20.2-bookworm-slim AS node

FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates python3 g++ make \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# tfjs-node-gpu's own installer fetches the GPU build of libtensorflow and its prebuilt addon.
WORKDIR /src/node_modules/@tensorflow/tfjs-node-gpu
RUN node scripts/install.js gpu download
WORKDIR /src
COPY . .
RUN node tools/build/build-app.mjs trainer \
  && npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/@tensorflow/tfjs-node node_modules/@swc

FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS runtime
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    TFJS_BACKEND=tensorflow-gpu \
    PROGRESS=false \
    OUTPUT_DIR=/workspace/models \
    MLFLOW_SPOOL_DIR=/workspace/.mlflow-spool
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/trainer ./dist
COPY params.env ./params.env
RUN groupadd --gid 10001 trainer \
  && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin trainer \
  && mkdir -p /workspace \
  && chown 10001:10001 /workspace
USER 10001:10001
# A batch job has no port to probe; the Job's backoffLimit and exit code say whether it worked.
HEALTHCHECK NONE
ENTRYPOINT ["node", "--enable-source-maps", "dist/apps/trainer/src/main.js"]
CMD ["train", "--params", "/app/params.env"]
