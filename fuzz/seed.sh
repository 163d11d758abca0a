#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made from the real site so they follow
# it: every page, site.yaml, glossary.yaml, every link destination written in
# the content, every file and folder name, and every image.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
rm -rf "$c"
mkdir -p "$c"/{page,site_yaml,glossary_yaml,link,name,search_text,image_size}
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$c/page/$n.md"
  # Search text: the page body without its front matter.
  awk 'f>=2{print} /^---$/{f++}' "$f" > "$c/search_text/$n.txt"
  dir=$(dirname "${f#content/}")
  grep -o '](\([^)]*\))' "$f" | sed 's/^](//; s/)$//' | head -n 20 | while IFS= read -r dest; do
    printf '%s\n%s' "$dir" "$dest" > "$c/link/$n-$RANDOM.txt"
  done || true
done < <(find content -name '*.md' -print0 | sort -z)
cp site.yaml "$c/site_yaml/site.yaml"
cp glossary.yaml "$c/glossary_yaml/glossary.yaml"
{ find content static themes -print 2>/dev/null || true; } | while IFS= read -r p; do
  printf '%s' "${p##*/}" > "$c/name/$(printf '%s' "$p" | cksum | cut -d' ' -f1)"
done
for hostile in '..' '!..' '_..' ' ..' 'x\..\..\evil' '.pestle-output' 'a b/C.md' 'café' '!.'; do
  printf '%s' "$hostile" > "$c/name/hostile-$(printf '%s' "$hostile" | cksum | cut -d' ' -f1)"
done
while IFS= read -r -d '' f; do
  cp "$f" "$c/image_size/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
done < <(find content static themes \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' -o -name '*.gif' -o -name '*.webp' -o -name '*.svg' \) -print0 2>/dev/null | sort -z)
printf 'GIF89a\001\000\001\000\000\000\000' > "$c/image_size/gif"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\002\000\000\000\003' > "$c/image_size/png"
echo "seeded $n pages into $c"
