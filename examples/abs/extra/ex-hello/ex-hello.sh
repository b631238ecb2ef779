#!/usr/bin/ex-sh
# ex-hello: greets, formatted through libexfmt (in spirit).
set -e

zones=/usr/share/ex-tzinfo/zones.txt

case "${1:-}" in
  --version) echo "ex-hello @VERSION@" ;;
  --zones)
    if [ -r "$zones" ]; then cat "$zones"
    else echo "ex-hello: install ex-tzinfo for time zone names" >&2; exit 1; fi ;;
  *) echo "Hello, ${1:-world}!" ;;
esac
