"""Regenerate core/data/country_names_cldr.csv: country names from the Unicode CLDR, read through Babel.

    python scripts/build_country_names.py          # write the file
    python scripts/build_country_names.py --check  # exit 1 when the file differs from what Babel gives

Source: the territory display names of the Unicode Common Locale Data Repository (CLDR), as the Babel
package ships them (BSD-3-Clause code; CLDR data under the Unicode License v3, a permissive licence whose
notice this script copies to core/data/LICENSE-CLDR.txt). Babel is needed only to run this script (it is in the `test`
extras); Garrison reads the CSV at run time.

Rows: one per (ISO 3166-1 alpha-2 code, language) for the codes in pycountry plus Kosovo (XK), in
English and the other five official languages of the United Nations (fr, es, ru, ar, zh), the
languages of the documents analysts most often read names in. Columns `iso2,language,name,source`;
`source` names the CLDR and Babel versions. Sorted by code then language, so a rebuild gives
identical bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from pathlib import Path

import babel
import pycountry
from babel import Locale
from babel.core import get_global

OUT = Path(__file__).resolve().parents[1] / "core" / "data" / "country_names_cldr.csv"
NOTICE = OUT.with_name("LICENSE-CLDR.txt")
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
EXTRA_ISO2 = ("XK",)  # Kosovo: user-assigned code, named by CLDR


def build() -> str:
    source = f"CLDR {get_global('cldr')['version']} via Babel {babel.__version__}"
    codes = sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_ISO2))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["iso2", "language", "name", "source"])
    for code in codes:
        for language in LANGUAGES:
            name = Locale(language).territories.get(code)
            if name:
                writer.writerow([code, language, name, source])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'differs from what this Babel gives'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    shutil.copyfile(Path(babel.__file__).with_name("locale-data") / "LICENSE.unicode", NOTICE)
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
