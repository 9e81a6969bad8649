# syntax=docker/dockerfile:1
# The Airbyte image of destination-marketo-bulk: `docker build -t destination-marketo-bulk:0.1.0 .`
# Stage 1 builds and packs the connector; stage 2 installs that package with production dependencies only,
# exactly as .ci/packaging-smoke.sh does (scripts/install-package.sh); stage 3 is the slim runtime.

FROM node:24-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY spec.json ./
COPY src ./src
RUN npm run build && npm pack --pack-destination /tmp && mv /tmp/destination-marketo-bulk-*.tgz /tmp/package.tgz

FROM node:24-slim AS install
COPY --from=build /tmp/package.tgz /tmp/package.tgz
COPY package-lock.json scripts/install-package.sh scripts/entrypoint.sh /tmp/install/
RUN sh /tmp/install/install-package.sh /tmp/package.tgz /tmp/install/package-lock.json /airbyte/integration_code

FROM node:24-slim
# Airbyte mounts config.json and catalog.json under /airbyte; the code itself stays root-owned and read-only.
RUN groupadd --system airbyte \
    && useradd --system --gid airbyte --home-dir /airbyte --shell /usr/sbin/nologin airbyte \
    && mkdir -p /airbyte \
    && chown airbyte:airbyte /airbyte
COPY --from=install /airbyte/integration_code /airbyte/integration_code
ENV NODE_ENV=production
WORKDIR /airbyte
USER airbyte
# The platform runs `eval "$AIRBYTE_ENTRYPOINT write --config ..."` from another directory: absolute path, same as ENTRYPOINT.
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/entrypoint.sh"
ENTRYPOINT ["/airbyte/integration_code/entrypoint.sh"]
LABEL io.airbyte.name="destination-marketo-bulk"
LABEL io.airbyte.version="0.1.0"
