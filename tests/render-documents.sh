#!/usr/bin/env bash
# Renders the bulletin (通报) to PNG pages to look at, in Chinese and
# English, as DOCX through LibreOffice and as HTML through Chromium when one
# is installed (it prints the page numbers of the print style sheet), else
# through LibreOffice, whose HTML import loses much of the layout.
#
#   bash tests/render-documents.sh [OUT_DIR]      (default: target/rendered)
#
# Needs: libreoffice (or soffice) and pdftoppm (poppler-utils), and a
# Chinese font (fonts-noto-cjk). On Debian or Ubuntu:
#   apt-get install --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-noto-cjk
#   (and chromium for the HTML)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/rendered}
mkdir -p "$out"
out=$(cd "$out" && pwd)
office=$(command -v libreoffice || command -v soffice || true)
if [ -z "$office" ] || ! command -v pdftoppm >/dev/null; then
  echo "render-documents: needs libreoffice and pdftoppm (see the top of this script)" >&2
  exit 2
fi
cargo build -q -p anfang
bin=$PWD/target/debug/anfang
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# Fixed clock and zone: the same pages every time.
export TZ=Asia/Shanghai
"$bin" --data-dir "$data" --lang zh-CN demo --visits 120 --seed 2026 >/dev/null
mkdir -p "$data/config"
cat > "$data/config/settings.toml" <<'TOML'
[documents]
issuer = "滨江市作风效能建设领导小组办公室"
addressees = "各县（区）效能办，市直各单位"
copies = "市纪委监委，市委组织部"
number_pattern = "滨效办〔{year}〕{n}号"
TOML
# The demo's visits run from June 2026: its third quarter, dated after it.
from=2026-07-01
to=2026-09-30
for lang in zh-CN en; do
  "$bin" --data-dir "$data" --lang "$lang" export --format docx --from "$from" --to "$to" \
    --date 2026-10-10 --serial 12 --anonymize --out "$out/bulletin-$lang-docx.docx" >/dev/null
  "$bin" --data-dir "$data" --lang "$lang" export --format html --from "$from" --to "$to" \
    --date 2026-10-10 --serial 12 --anonymize --out "$out/bulletin-$lang-html.html" >/dev/null
done
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
for f in "$out"/*.docx "$out"/*.html; do
  if [ -n "$browser" ] && [ "${f##*.}" = html ]; then
    # A browser prints the page numbers of the print style sheet.
    "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
      --print-to-pdf="${f%.*}.pdf" "file://$f" >/dev/null 2>&1
  else
    "$office" --headless --convert-to pdf --outdir "$out" "$f" >/dev/null 2>&1
  fi
done
for pdf in "$out"/*.pdf; do
  pdftoppm -png -r 60 "$pdf" "${pdf%.pdf}"
done
ls "$out"/*.png
