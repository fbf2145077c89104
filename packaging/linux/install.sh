#!/bin/sh
# Install Earful from this folder for the current user (no root needed):
#   ./install.sh            copies it to ~/.local/opt/earful and adds `earful`, the menu entry and icons
#   ./install.sh --remove   takes all of that away again (your interview libraries are kept)
# PREFIX=/usr/local sudo -E ./install.sh installs for everyone instead.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
prefix="${PREFIX:-$HOME/.local}"
app_dir="$prefix/opt/earful"
id=io.github.earful.Earful

remove() {
  rm -rf "$app_dir"
  rm -f "$prefix/bin/earful" "$prefix/share/applications/$id.desktop" "$prefix/share/metainfo/$id.metainfo.xml"
  find "$prefix/share/icons/hicolor" -name "$id.*" -delete 2>/dev/null || true
}

if [ "${1:-}" = "--remove" ]; then
  remove
  echo "Earful removed."
  exit 0
fi

remove
mkdir -p "$app_dir" "$prefix/bin"
cp -a "$here/earful" "$here/_internal" "$app_dir/"
ln -s "$app_dir/earful" "$prefix/bin/earful"
(cd "$here/share" && find . -type f) | while read -r file; do
  mkdir -p "$prefix/share/$(dirname "$file")"
  cp "$here/share/$file" "$prefix/share/$file"
done
# The menu entry must name the program by its full path: ~/.local/bin is not on every desktop's PATH.
sed -i "s|^Exec=earful|Exec=$app_dir/earful|" "$prefix/share/applications/$id.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
echo "Earful installed in $app_dir. Start it from the applications menu, or run: earful"
echo "Check it with: earful --self-check"
