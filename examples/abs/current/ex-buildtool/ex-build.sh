#!/usr/bin/ex-sh
# ex-build: the example build driver used as a makedepend by other examples.
set -e

case "${1:-}" in
  --version) echo "ex-build @VERSION@" ;;
  setup|compile|install) echo "ex-build: $1 (nothing to do in the example)" ;;
  test)
    command -v ex-test >/dev/null || { echo "ex-build: install ex-testkit to run tests" >&2; exit 1; }
    shift
    exec ex-test "$@" ;;
  *) echo "usage: ex-build {setup|compile|install|test|--version}" >&2; exit 2 ;;
esac
