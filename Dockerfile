# syntax=docker/dockerfile:1
# Mercato's runtime image: one binary that serves sockets (`serve`, the default: ECS,
# Kubernetes, docker run) or the AWS Lambda Runtime API (`lambda`: the function's image
# command override). Debian 12, as the project targets; the bases are pinned by tag —
# pin them by digest (debian:12@sha256:...) where the registry can be looked up.

FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
# The build subset of scripts/packages.txt; iso-codes is read at build time (ISO 4217).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config iso-codes \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libsqlite3-dev libpq-dev libssl-dev libcrypt-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the binary is built from: migrations are compiled in, tests are not built.
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY migrations/ migrations/
COPY src/ src/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMERCATO_BUILD_TESTS=OFF -DMERCATO_SANITIZE=OFF \
 && cmake --build build -j "$(nproc)" --target mercato \
 && strip --strip-unneeded build/mercato

FROM debian:12-slim AS runtime
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="mercato" \
      org.opencontainers.image.description="Mercato commerce backend: REST API, Stripe payments, SSE; socket server or AWS Lambda" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/debian:12-slim"
# The shared libraries the binary links (ldd), and the CA bundle for Stripe, SMTP and AWS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates libboost-json1.81.0 libboost-url1.81.0 libcrypt1 libcurl4 \
      libpq5 libsqlite3-0 libssl3 \
 && rm -rf /var/lib/apt/lists/*
# An unprivileged user. The SQLite default (sqlite:data/mercato.db) and the mail outbox
# (data/outbox) are relative to the working directory, which it owns; mount a volume at
# /var/lib/mercato/data to keep them, and run `migrate` once before `serve`.
RUN groupadd --system --gid 10001 mercato \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/mercato --shell /usr/sbin/nologin mercato \
 && install -d -o mercato -g mercato -m 0750 /var/lib/mercato /var/lib/mercato/data
COPY --from=build /src/build/mercato /usr/local/bin/mercato
USER 10001:10001
WORKDIR /var/lib/mercato
ENV PORT=8080
EXPOSE 8080
# GET http://127.0.0.1:$PORT/api/health; Lambda ignores it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/mercato", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mercato"]
CMD ["serve"]
