# NsqLookup's nsqlookupd in a slim Debian image, built from the native binary that `dotnet publish` makes:
#
#   dotnet publish src/NsqLookup -c Release -r linux-x64 -o out
#   podman build -t localhost/nsqlookup:1.3.0 .        # or: docker build -t localhost/nsqlookup:1.3.0 .
#   podman run --rm -p 4160:4160 -p 4161:4161 localhost/nsqlookup:1.3.0 [flags...]
#
# There is no build stage: the image copies the binary published beforehand (out/nsqlookupd; .dockerignore sends
# nothing else), so it builds without the .NET SDK image and the same binary can be tested before it is packed.
# BINARY names another published file, relative to the build context.
#
# The binary is self-contained: besides the C library it needs only libssl (for --https-address and
# --http-admin-token-file; without them it runs without libssl) and CA certificates.
FROM debian:bookworm-slim

# libssl3 and ca-certificates, installed unless the base image has them already (then no network is needed);
# a non-root account with the UID of the .NET images' "app" user; /data for --data-path.
RUN if ! dpkg -s libssl3 ca-certificates >/dev/null 2>&1; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl3 ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && groupadd --system --gid 1654 nsqlookupd \
    && useradd --system --uid 1654 --gid 1654 --no-create-home --home-dir /data --shell /usr/sbin/nologin nsqlookupd \
    && install -d -o 1654 -g 1654 -m 0750 /data

ARG BINARY=out/nsqlookupd
COPY ${BINARY} /usr/local/bin/nsqlookupd
# As in the nsqio/nsq image, the binary is also /nsqlookupd (a Kubernetes `command: ["/nsqlookupd"]` keeps working).
RUN ln -s /usr/local/bin/nsqlookupd /nsqlookupd

USER 1654:1654
WORKDIR /data
# TCP (nsqd registrations) and HTTP (lookups, admin), the original's default ports.
EXPOSE 4160 4161
# The binary is PID 1 (no shell): it handles SIGTERM and SIGINT itself, drains, and exits 0.
STOPSIGNAL SIGTERM
# The original's defaults (0.0.0.0:4160, 0.0.0.0:4161); flags given to `run` are appended.
ENTRYPOINT ["/usr/local/bin/nsqlookupd"]
