# syntax=docker/dockerfile:1.7
# CPU inference image: the tsoa/express service; the model runs on ONNX Runtime (native CPU
# kernels), with tfjs to load it and to check ONNX Runtime's answers at load time.
# Build from the repository root: docker build -f docker/inference.Dockerfile -t mnist-inference .
FROM node:20.20.2-bookworm-slim AS build
# Python, pip and a C++ toolchain only to build the tfjs-node addon where its prebuilt download
# is unreachable (tools/native-backend/provision-tfjs-node.mjs); none of it reaches the runtime image.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-pip python3-venv g++ make ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# Install scripts are skipped: the provisioning step below makes the native backend loadable.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# onnxruntime-node ships every platform's build (300 MB): the image keeps its own.
RUN node tools/native-backend/provision-tfjs-node.mjs \
  && node tools/build/build-app.mjs inference \
  && npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/@tensorflow/tfjs-node-gpu node_modules/@swc \
  && find node_modules/onnxruntime-node/bin/napi-v6 -mindepth 2 -maxdepth 2 \
    ! -path "*/linux/$(node -p process.arch)" -exec rm -rf {} +

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    TFJS_BACKEND=wasm \
    TF_CPP_MIN_LOG_LEVEL=1 \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS=--max-old-space-size=384
WORKDIR /app
# Owned by root and read-only to the service user: the root filesystem can be mounted read-only.
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/inference ./dist
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "dist/apps/inference/src/main.js"]
