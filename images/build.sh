#!/usr/bin/env bash
# ./instructflow images [--base IMAGE] [--tag TAG]: builds localhost/instructflow-api:TAG and
# localhost/instructflow-worker:TAG with podman, no Docker engine. TAG defaults to the project version (the chart's
# appVersion). Without --base, the base is a Debian bookworm with OpenJDK 17's JRE made here with debootstrap, once
# (localhost/instructflow-base:bookworm-jre17; INSTRUCTFLOW_DEBIAN_MIRROR picks the mirror). Any image with a
# java 17+ on its PATH serves as --base, e.g. a Temurin JRE where a registry is reachable.
# Needs: podman, runc, debootstrap (apt packages), root; the platform built (the launcher does that first).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="$PWD/images/containers.conf"

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
base=""
tag="$version"
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="${2:?--base needs an image}"; shift 2 ;;
    --tag) tag="${2:?--tag needs a tag}"; shift 2 ;;
    *) echo "error: unknown option '$1'" >&2; echo "usage: instructflow images [--base IMAGE] [--tag TAG]" >&2; exit 2 ;;
  esac
done
for tool in podman runc; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing: apt-get install podman runc debootstrap" >&2; exit 1; }
done
app=api/target/quarkus-app
[ -f "$app/quarkus-run.jar" ] || { echo "error: $app is missing: ./mvnw -B -DskipTests package" >&2; exit 1; }

work=target/images
mkdir -p "$work"
started=$SECONDS

if [ -z "$base" ]; then
  base=localhost/instructflow-base:bookworm-jre17
  if ! podman image exists "$base"; then
    command -v debootstrap >/dev/null || { echo "error: debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
    rootfs="$work/rootfs"
    if [ ! -x "$rootfs/usr/bin/java" ]; then
      echo "making the base image's root file system (debootstrap, a few minutes)..." >&2
      rm -rf "$rootfs"
      debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" \
        "${INSTRUCTFLOW_DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$work/debootstrap.log" 2>&1 \
        || { echo "error: debootstrap failed, see $work/debootstrap.log" >&2; exit 1; }
      # apt's package lists and caches are no use in an image that never installs anything
      rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
    fi
    # an imported root file system has no environment: without PATH nothing finds java
    tar -C "$rootfs" -cf "$work/base.tar" .
    podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$work/base.tar" "$base" >/dev/null
    rm -f "$work/base.tar"
    echo "base image $base made" >&2
  fi
fi

# the build context: the platform and libtorch with DJL's JNI library, taken from the jars the platform runs with
context="$work/context"
rm -rf "$context"
mkdir -p "$context/libtorch"
cp -al "$app" "$context/app" 2>/dev/null || cp -a "$app" "$context/app"
unzip -q -j "$app"/lib/main/ai.djl.pytorch.pytorch-native-cpu-*.jar 'pytorch/cpu/linux-x86_64/*' -d "$context/libtorch"
unzip -q -j "$app"/lib/main/ai.djl.pytorch.pytorch-jni-*.jar 'jnilib/linux-x86_64/cpu/libdjl_torch.so' -d "$context/libtorch"

for image in api worker; do
  podman build --quiet --target "$image" --build-arg BASE="$base" -t "localhost/instructflow-$image:$tag" \
    -f images/Containerfile "$context" >/dev/null
  echo "localhost/instructflow-$image:$tag ($(podman image inspect --format '{{.Size}}' "localhost/instructflow-$image:$tag" \
    | awk '{printf "%.0f MB", $1/1e6}'))"
done
rm -rf "$context"
echo "built in $((SECONDS - started)) s on $base" >&2
