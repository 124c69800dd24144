# guild in a container, for CI systems other than GitHub Actions:
#
#   docker build -t guild .
#   docker run --rm -v "$PWD:/site" -w /site guild build -o public
#
# The first stage builds a static binary (musl); the image holds only that
# binary. guild reads dates and contributors from `git log` when a `git`
# command is on the PATH; this image has none, so pages built in it show no
# dates (the build says so). Where those matter, copy /guild into an image
# that has git, e.g. `COPY --from=guild /guild /usr/local/bin/guild`.

FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock README.md LICENSE-MIT LICENSE-APACHE ./
COPY src ./src
COPY themes ./themes
RUN cargo build --release --locked && strip target/release/guild

FROM scratch
COPY --from=build /src/target/release/guild /guild
COPY --from=build /src/LICENSE-MIT /src/LICENSE-APACHE /
ENTRYPOINT ["/guild"]
CMD ["--help"]
