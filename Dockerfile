# networksecurity as a container: the CLI is the entrypoint and `serve` the default command, so the same
# image runs `worker`, `etl`, `train`, `predict`... State (SQLite stores, artifacts) lives under NS_HOME,
# a volume. Built in CI by .github/workflows/release.yml; tested with podman by test/image/image.test.ts.
# The Node version follows scripts/node.sh (the Node the test suite runs on). The runtime stage is Debian
# slim (the release of the Node image) plus the Node binary alone: no npm, yarn or C headers (~90 MB less).
ARG NODE_IMAGE=node:24-bookworm-slim
ARG DEBIAN_IMAGE=debian:bookworm-slim

# ---- build: all dependencies, compile the server and the UI, then drop the dev dependencies --------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 downloads a prebuilt binary when it can and compiles from source when it cannot;
# the compiler and the Node headers (nodedir) make the second path work without any download.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Prune the dev dependencies and better-sqlite3's compile inputs and intermediates (only its .node is loaded).
RUN npm run build && npm prune --omit=dev \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
           build/Release/test_extension.node build/Release/*.a

# ---- runtime: Node, production dependencies, the compiled CLI and UI, the bundled schema and data ---------
FROM ${DEBIAN_IMAGE}
COPY --from=build /usr/local/bin/node /usr/local/bin/node
# An unprivileged user (uid 1000, like the Node image's `node`) owns the state volume; the code stays root's.
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /usr/sbin/nologin --create-home node
ENV NODE_ENV=production \
    NS_HOME=/var/lib/networksecurity \
    NS_HOST=0.0.0.0 \
    NS_PORT=8501
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
COPY data ./data
RUN mkdir -p "$NS_HOME" && chown node:node "$NS_HOME"
USER node
VOLUME ["/var/lib/networksecurity"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.NS_PORT || 8501) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli/bin.js"]
CMD ["serve"]
