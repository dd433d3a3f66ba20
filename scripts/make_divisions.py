"""Write sync/divisions.py from the NBS division codes (统计用区划代码): python scripts/make_divisions.py DIR.

DIR holds provinces.csv, cities.csv and areas.csv (code,name,... with a header row), as in
the open dataset modood/Administrative-divisions-of-China.
"""
import csv
import sys
import textwrap
from pathlib import Path


def codes(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as file:
        return sorted(row["code"] for row in csv.DictReader(file))


def main(folder: str) -> None:
    folder = Path(folder)
    provinces, cities, counties = (codes(folder / f"{name}.csv") for name in ("provinces", "cities", "areas"))
    def block(items):
        return textwrap.fill(" ".join(items), 116, initial_indent="    ", subsequent_indent="    ")
    target = Path(__file__).parent.parent / "sync" / "divisions.py"
    target.write_text(f'''"""Division codes (GB/T 2260, NBS 统计用区划代码 to 2022-10-31): provinces, cities, counties.

Written by scripts/make_divisions.py; do not edit by hand. An ID number's first six digits are
the county where it was first issued, kept for life, so a county missing here (renamed or
merged since) is worth a look but is no proof of a wrong number; the province must exist.
"""


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


PROVINCES = _codes("""
{block(provinces)}
""")
# Taiwan (71 in GB/T 2260), and the residence permits of Hong Kong, Macau and Taiwan residents (81, 82, 83).
OUTSIDE_MAINLAND = frozenset(("71", "81", "82", "83"))
CITIES = _codes("""
{block(cities)}
""")
COUNTIES = _codes("""
{block(counties)}
""")


def province_exists(code: str) -> bool:
    return code[:2] in PROVINCES or code[:2] in OUTSIDE_MAINLAND


def county_known(code: str) -> bool:
    """A county of today's list, or a city's own code (4201 + 00), as IDs issued by a city carry."""
    code = code[:6]
    return code in COUNTIES or code[:2] in OUTSIDE_MAINLAND or (code.endswith("00") and code[:4] in CITIES)
''', encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
