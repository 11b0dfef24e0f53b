"""Reference data shipped with the package: Sweden's 290 kommuner and 21 län, and the default
mapping of the police feed's event types.

A kommun has a short name ("Linköping", what the police feed writes), an official name
("Linköpings kommun", "Stockholms stad", "Region Gotland"), a län and a boundary. The feed and
people's files name a kommun in any of these forms, so :func:`name_forms` gives every spelling
that should find it. See ``ATTRIBUTION.md`` for the sources.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

#: länskod -> the län's name as it is written ("Västra Götalands län")
LAN_NAMES: dict[str, str] = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}

#: kommuner that call themselves "stad" in their official name
STAD = frozenset(
    {
        "Borås", "Göteborg", "Haparanda", "Helsingborg", "Landskrona", "Lidingö", "Malmö",
        "Mölndal", "Solna", "Stockholm", "Sundbyberg", "Trollhättan", "Vaxholm", "Västerås",
    }
)  # fmt: skip
#: official names that no rule gives
OFFICIAL_EXCEPTIONS = {"Gotland": "Region Gotland", "Falun": "Falu kommun"}


def genitive(name: str) -> str:
    """``Linköping`` -> ``Linköpings``; names ending in a vowel or s/x/z take no s (``Umeå``, ``Borås``)."""
    if name == "Falun":
        return "Falu"
    if name[-1].lower() in "aeiouyåäösxz":
        return name
    return name + "s"


def official_name(name: str) -> str:
    """The kommun's official name: ``Linköpings kommun``, ``Stockholms stad``, ``Region Gotland``."""
    if name in OFFICIAL_EXCEPTIONS:
        return OFFICIAL_EXCEPTIONS[name]
    return f"{genitive(name)} {'stad' if name in STAD else 'kommun'}"


def fold(text: str) -> str:
    """A spelling-insensitive key for a place name: lower case, hyphens and runs of space as one
    space, composed Unicode (so a decomposed "ö" from some exports matches)."""
    text = unicodedata.normalize("NFC", text).lower().replace("-", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Kommun:
    code: str
    name: str
    lan_code: str
    centre_lat: float
    centre_lon: float

    @property
    def official_name(self) -> str:
        return official_name(self.name)

    @property
    def lan_name(self) -> str:
        return LAN_NAMES.get(self.lan_code, "")

    @property
    def label(self) -> str:
        """How a person picks it from a list: ``Linköping (0580), Östergötlands län``."""
        return f"{self.name} ({self.code}), {self.lan_name}"

    def geometry(self) -> dict[str, Any]:
        """The simplified boundary (GeoJSON, WGS84)."""
        return _geometries()[self.code]

    def name_forms(self) -> set[str]:
        return name_forms(self.name, self.official_name)


def name_forms(name: str, official: str | None = None) -> set[str]:
    """Every folded spelling that means this kommun: short, official, genitive, with "kommun",
    "stad" or "Region" added or left out."""
    forms = {name, genitive(name), official_name(name), f"{genitive(name)} kommun", f"{genitive(name)} stad",
             f"{name} kommun", f"{name} stad"}  # fmt: skip
    if official:
        forms.add(official)
        bare = re.sub(r"^(region)\s+|\s+(kommun|stad)$", "", official, flags=re.IGNORECASE).strip()
        if bare:
            forms |= {bare, genitive(bare) if bare else bare}
    return {fold(f) for f in forms if f}


@cache
def _features() -> list[dict[str, Any]]:
    data = json.loads((HERE / "kommuner.geojson").read_text(encoding="utf-8"))
    return list(data["features"])


@cache
def _geometries() -> dict[str, dict[str, Any]]:
    return {str(f["properties"]["id"]): f["geometry"] for f in _features()}


@cache
def kommuner() -> tuple[Kommun, ...]:
    """All 290 kommuner, by name."""
    items = []
    for feature in _features():
        props = feature["properties"]
        lat, lon = props["geo_point_2d"]
        items.append(Kommun(str(props["id"]), str(props["kom_namn"]), str(props["lan_code"]), float(lat), float(lon)))
    return tuple(sorted(items, key=lambda k: fold(k.name)))


@cache
def _by_code() -> dict[str, Kommun]:
    return {k.code: k for k in kommuner()}


@cache
def _by_form() -> dict[str, Kommun]:
    found: dict[str, Kommun] = {}
    for k in kommuner():
        for form in k.name_forms():
            found.setdefault(form, k)
    return found


def forms() -> dict[str, str]:
    """Every folded spelling of every kommun's name -> its kommunkod."""
    return {form: k.code for form, k in _by_form().items()}


def kommun(code: str) -> Kommun | None:
    """The kommun with this kommunkod (four digits, as text)."""
    return _by_code().get(str(code).strip())


def find(text: str) -> Kommun | None:
    """The kommun a text names: a kommunkod or any form of its name."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return kommun(text)
    return _by_form().get(fold(text))


def search(text: str, limit: int = 20) -> list[Kommun]:
    """Kommuner whose code or name starts with (or contains) the text, best matches first."""
    query = fold(text)
    if not query:
        return list(kommuner())[:limit]
    starts = [k for k in kommuner() if k.code.startswith(query) or fold(k.name).startswith(query)]
    inside = [k for k in kommuner() if k not in starts and query in fold(k.official_name)]
    return (starts + inside)[:limit]


def lan_of_name(text: str) -> str | None:
    """The länskod of a län's name in any common form ("Östergötlands län", "Östergötland")."""
    key = fold(text)
    for code, name in LAN_NAMES.items():
        full = fold(name)
        if key in (full, full.removesuffix(" län"), full.removesuffix("s län")):
            return code
    return None


def is_lan_name(text: str) -> bool:
    """True for "Östergötlands län" and the like (the feed's place when it knows only the län)."""
    return fold(text).endswith(" län")


@dataclass(frozen=True)
class DefaultType:
    name: str
    focus_key: str | None
    sensitive: bool
    notice: bool


@cache
def default_types() -> dict[str, DefaultType]:
    """The shipped mapping of every police feed type: name -> focus key, sensitive, notice."""
    with (HERE / "event_types.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["type"]: DefaultType(
                row["type"], row["focus_key"] or None, row["sensitive"] == "1", row["notice"] == "1"
            )
            for row in csv.DictReader(handle)
        }


#: the fokusområden a new promise is offered, matching the default type mapping
DEFAULT_FOCUS_AREAS: tuple[tuple[str, str, str], ...] = (
    ("trygghet", "Trygghet i offentlig miljö",
     "Närvaro på rätt platser, kommunikation om det faktiska läget och att bemöta felaktiga uppgifter."),
    ("narkotika", "Narkotika bland unga", "Minska ungas tillgång till narkotika och fånga upp unga i riskzon tidigt."),
    ("trafik", "Trafiksäkerhet", "Färre olyckor och rattfylleri på vägarna och vid skolorna."),
)  # fmt: skip


def is_notice(type_name: str) -> bool:
    """Feed entries that are notices, not incidents: "Sammanfattning …", "Uppdatering", "Information"."""
    key = fold(type_name)
    return key.startswith("sammanfattning") or key in ("uppdatering", "information")
