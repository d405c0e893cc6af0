#!/usr/bin/env bash
# Build dist/Homevisit-VERSION.pkg from the frozen app (dist/Homevisit.app), on macOS.
#
#   packaging/macos/build_pkg.sh VERSION
#
# The pkg installs /Applications/Homevisit.app for every user of the Mac and links
# /usr/local/bin/homevisit to it, so IT can run `homevisit self-test` and `homevisit policy
# show` from a shell or a management agent. IT policy arrives as managed preferences for
# the domain org.homevisit.Homevisit (see org.homevisit.Homevisit.mobileconfig).
# Signing and notarisation are added by setting SIGN_IDENTITY (a "Developer ID Installer").
set -euo pipefail
version=${1:?usage: build_pkg.sh VERSION}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app="$root/dist/Homevisit.app"
[[ -d "$app" ]] || { echo "no $app: run PyInstaller with packaging/homevisit.spec first" >&2; exit 1; }
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/root/Applications" "$stage/scripts"
ditto "$app" "$stage/root/Applications/Homevisit.app"
cat > "$stage/scripts/postinstall" <<'POST'
#!/bin/sh
mkdir -p /usr/local/bin
ln -sf /Applications/Homevisit.app/Contents/MacOS/homevisit /usr/local/bin/homevisit
exit 0
POST
chmod 755 "$stage/scripts/postinstall"

pkgbuild --root "$stage/root" --scripts "$stage/scripts" \
    --identifier org.homevisit.Homevisit --version "$version" \
    --install-location / "$stage/Homevisit-component.pkg"
sign=()
[[ -n "${SIGN_IDENTITY:-}" ]] && sign=(--sign "$SIGN_IDENTITY")
productbuild --package "$stage/Homevisit-component.pkg" "${sign[@]}" \
    "$root/dist/Homevisit-$version.pkg"
echo "$root/dist/Homevisit-$version.pkg"
