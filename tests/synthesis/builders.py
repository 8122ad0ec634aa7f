"""Plain records for synthesis and export tests: no app, no database."""

from __future__ import annotations

import json
from datetime import date
from itertools import count

from noviwerk.domain import DEFAULT_KERNVRAGEN, ContributionRecord, WerkplaatsRecord
from tests.conftest import shared_data
from tests.factories import load_sample


def sample_werkplaatsen() -> list[tuple[WerkplaatsRecord, list[ContributionRecord]]]:
    sample = shared_data("sample-werkplaatsen.json")
    return load_sample(json.loads(sample.read_text(encoding="utf-8")))


def werkplaats(**kw) -> WerkplaatsRecord:
    defaults = dict(
        id=7, title="Energie in de regio", programme="Werkplaatsen NOVI 2015–2016",
        starts_on=date(2015, 10, 15), place="Utrecht", kind="inhoudelijk", theme="Energie",
        organisation="Ministerie van Economische Zaken", trekker="A. Trekker",
        kernvragen=DEFAULT_KERNVRAGEN,
    )
    defaults.update(kw)
    return WerkplaatsRecord(**defaults)


class Contributions:
    """Builds contributions in bijlage order: ``add(kernvraag, text, **fields)`` returns the id."""

    def __init__(self, first_id: int = 101) -> None:
        self._ids = count(first_id)
        self._numbers = count(1)
        self.records: list[ContributionRecord] = []

    def add(self, kernvraag: int | None, text: str, **kw) -> int:
        cid = next(self._ids)
        position = kernvraag if kernvraag is not None else 9
        spec = DEFAULT_KERNVRAGEN[kernvraag - 1] if kernvraag else None
        self.records.append(ContributionRecord(
            id=cid,
            number=next(self._numbers),
            round_position=kw.pop("round_position", position),
            round_prompt=spec.question if spec else "Stemronde: wat is het belangrijkst?",
            kernvraag_position=kernvraag,
            kernvraag_title=spec.title if spec else None,
            text=text,
            participant_key=kw.pop("participant_key", f"p{cid}"),
            **kw,
        ))
        return cid


def energie_werkplaats():
    """A werkplaats with one point many made, a lone dissent, a quiet veld, typos and votes.

    Returns (werkplaats, contributions, ids) where ids names the contributions tests check.
    """
    c = Contributions()
    ids: dict[str, object] = {}
    m, k, i, b = "maatschappelijk", "kennis en advies", "interdepartementaal", "interbestuurlijk"
    wind = [
        c.add(1, "Meer windmolens op zee bouwen.", participant_key="p1", veld=k, support=2,
              organisation="TNO"),
        c.add(1, "We moeten veel meer windmolens op zee plaatsen.", participant_key="p2",
              veld=b, support=3, organisation="Provincie Zeeland"),
        c.add(1, "Bouw extra windturbines op zee!", participant_key="p3", veld=m, support=1,
              is_starred=True, organisation="Natuur & Milieu"),
        c.add(1, "Windmolens op zee zijn de toekomst voor onze energie.", participant_key="p4",
              veld=b, organisation="Gemeente Rotterdam"),
        c.add(1, "Meer windenergie: windmolens op zee uitbreiden.", participant_key="p5", veld=k,
              organisation="tno "),
        c.add(1, "Echt meer windmolens op zee, heel belangrijk", participant_key="p1", veld=k),
    ]
    ids["merged"] = c.add(1, "Meer windmolens op zee!!", participant_key="p7", veld=b,
                          merged_into=wind[0])
    ids["wind"] = wind
    ids["dissent"] = c.add(1, "Juist geen windmolens op zee, die verpesten het zicht op de "
                              "horizon.", participant_key="p8", veld=m)
    ids["zon"] = [
        c.add(1, "Zonnepanelen op alle daken van bedrijven.", participant_key="p9", veld=b),
        c.add(1, "Zonnepanelen op de daken van bedrijventerreinen leggen.", participant_key="p10",
              veld=m),
    ]
    ids["quiet_veld"] = c.add(1, "Waterstof voor de zware industrie in de havens.",
                              participant_key="p11", veld=i)
    ids["warmte"] = c.add(1, "Warmtenetten in oude wijken zijn lastig aan te leggen.",
                          participant_key="p12", veld=m)
    ids["net"] = [
        c.add(2, "Het stroomnet zit vol: netcongestie remt alles.", label="opgave",
              participant_key="p2", veld=b, votes=4),
        c.add(2, "Netcongesite houdt nieuwe aansluitingen tegen.", label="opgave",
              participant_key="p13", veld=k, votes=2),
        c.add(2, "Netcongestie op het elektriciteitsnet oplossen.", label="opgave",
              participant_key="p14", veld=m, votes=1),
    ]
    ids["coop"] = [
        c.add(2, "Energiecoöperaties van bewoners geven draagvlak.", label="kans",
              participant_key="p3", veld=m),
        c.add(2, "Lokale energiecooperaties geven bewoners draagvlak en eigenaarschap.",
              label="kans", participant_key="p15", veld=m),
    ]
    ids["dilemma"] = c.add(2, "Natuur of zonneweides: wat gaat voor?", label="dilemma",
                           participant_key="p16", veld=b)
    ids["verbinding"] = c.add(3, "Energie en landbouw: zonneweides op landbouwgrond.",
                              label="verbinding", participant_key="p4", veld=b)
    ids["haven"] = c.add(3, "Restwarmte uit de haven naar woonwijken in de stad.",
                         label="verbinding", participant_key="p17", veld=k)
    ids["citaat"] = c.add(3, "De energietransitie is vooral een sociale transitie.",
                          is_citaat=True, participant_key="p18", veld=k, source="mondeling")
    ids["regie"] = [
        c.add(4, "Het Rijk moet de regie nemen op het stroomnet.", participant_key="p5", veld=k),
        c.add(4, "Rijk, neem de regie over de uitbreiding van het stroomnet.",
              participant_key="p19", veld=b),
    ]
    ids["flap"] = c.add(4, "Betrek jongeren bij de plannen", participant_key=None,
                        source="flap")
    ids["niet_ontbreken"] = c.add(5, "Een eerlijke verdeling van lusten en lasten.",
                                  label="citaat", participant_key="p20", veld=m)
    return werkplaats(), c.records, ids
