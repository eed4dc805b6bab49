"""Country shapes for the offline map, from the `countryinfo` package (already a dependency),
and the one name the UI and the API use for each country.

Country names: the `name` of the country's line in eventwire's own data/countries.yaml (the
file the actor coder reads), else countryinfo's. countryinfo lists some countries twice under
two names (Burma and Myanmar); the map keeps one outline per ISO3 code and the same name.

countryinfo ships a GeoJSON outline per country (Natural Earth 1:110m, public domain). They
are gathered once into one FeatureCollection (coordinates rounded to 0.01 degree, Antarctica
left out) and served by /api/world; the browser projects them itself. If the package or its
data is missing the map still works, with an empty basemap.
"""
from __future__ import annotations

import functools
import json
import logging

log = logging.getLogger(__name__)


def _round(coords):
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), 2), round(float(coords[1]), 2)]
    return [_round(c) for c in coords]


def _rings(geom: dict) -> list:
    if geom.get("type") == "Polygon":
        return [geom["coordinates"]]
    if geom.get("type") == "MultiPolygon":
        return geom["coordinates"]
    return []


@functools.lru_cache(maxsize=1)
def world_geojson_bytes() -> bytes:
    features = []
    names = country_names()
    seen: set[str] = set()
    try:
        from countryinfo import CountryInfo

        for key, data in sorted(CountryInfo.all().items()):
            iso3 = ((data.get("ISO") or {}).get("alpha3") or "").upper()
            if not iso3 or iso3 == "ATA" or iso3 in seen:
                continue
            try:
                gj = CountryInfo(key).geo_json() or {}
            except Exception:                       # one bad entry must not lose the map
                continue
            polys = []
            for feat in gj.get("features") or []:
                polys += _rings(feat.get("geometry") or {})
            if not polys:
                continue
            seen.add(iso3)
            features.append({"type": "Feature", "id": iso3,
                             "properties": {"name": names.get(iso3) or iso3, "iso3": iso3},
                             "geometry": {"type": "MultiPolygon", "coordinates": _round(polys)}})
    except Exception as e:  # pragma: no cover - countryinfo is a hard dependency
        log.warning("no country shapes for the map: %s", e)
    fc = {"type": "FeatureCollection",
          "attribution": "Country outlines: Natural Earth 1:110m (public domain), via countryinfo",
          "features": features}
    return json.dumps(fc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO3 -> English short name: eventwire's countries.yaml first, then countryinfo (the
    first of its entries for a code, in name order, for codes eventwire does not list)."""
    out = {"XKX": "Kosovo"}
    try:
        from countryinfo import CountryInfo

        for _, data in sorted(CountryInfo.all().items()):
            iso3 = ((data.get("ISO") or {}).get("alpha3") or "").upper()
            if iso3 and data.get("name"):
                out.setdefault(iso3, data["name"])
    except Exception:  # pragma: no cover
        pass
    out.update(_eventwire_names())
    return out


def _eventwire_names() -> dict[str, str]:
    try:
        import yaml

        from eventwire.datafiles import DATA

        rows = yaml.safe_load((DATA / "countries.yaml").read_text(encoding="utf-8")) or {}
        return {str(k).upper(): v["name"] for k, v in rows.items()
                if isinstance(v, dict) and isinstance(v.get("name"), str)}
    except Exception as e:  # pragma: no cover - the packaged file is always there
        log.warning("no country names from countries.yaml: %s", e)
        return {}
