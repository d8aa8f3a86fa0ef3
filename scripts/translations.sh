#!/usr/bin/env bash
# The catalogues of the product's languages (README "Languages").
#   scripts/translations.sh update    extract the words from app/ into translations/messages.pot
#                                     and merge them into each language's messages.po
#   scripts/translations.sh compile   build each messages.mo from its messages.po (committed;
#                                     tests/core/test_translations.py fails when one is stale)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
# babel.cfg names an extractor of ours (app.reports.frameworks.extract): import it from here.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
case "${1:-}" in
  update)
    "$PYBABEL" extract -F babel.cfg -k lazy_gettext -k _l -k N_ --no-location --sort-output \
      --omit-header -o translations/messages.pot app
    for lang in th id ms vi fil; do
      if [ -f "translations/$lang/LC_MESSAGES/messages.po" ]; then
        "$PYBABEL" update -i translations/messages.pot -d translations -l "$lang" \
          --no-fuzzy-matching --ignore-obsolete
      else
        "$PYBABEL" init -i translations/messages.pot -d translations -l "$lang"
      fi
    done
    ;;
  compile)
    "$PYBABEL" compile -d translations --statistics
    ;;
  *)
    echo "usage: scripts/translations.sh update|compile" >&2
    exit 2
    ;;
esac
