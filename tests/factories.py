"""Test and benchmark data factories: werkplaatsen as the plain records synthesis takes.

``load_sample`` turns the shared ``data/sample-werkplaatsen.json`` into records (for the
synthesis and export tests and ``scripts/render-ansichtkaarten``). ``generate`` makes a
werkplaats of N contributions that behaves like a real one (a few points raised by many,
paraphrased, with typos and asides; most raised once; some dissent) for scale tests and the
benchmarks under ``tests/bench``. Both are deterministic. They need no app and no database:
only ``noviwerk.domain``'s records.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from noviwerk.domain import DEFAULT_KERNVRAGEN, ContributionRecord, Source, Veld, WerkplaatsRecord
from noviwerk.text_rules import strip_control


def load_sample(data: Mapping[str, Any]) -> list[tuple[WerkplaatsRecord, list[ContributionRecord]]]:
    """Records for each werkplaats in the sample file (one round per kernvraag)."""
    out: list[tuple[WerkplaatsRecord, list[ContributionRecord]]] = []
    for w in data["werkplaatsen"]:
        record = WerkplaatsRecord(
            id=int(w["nr"]),
            title=w["titel"],
            programme="Werkplaatsen NOVI 2015–2016",
            starts_on=date.fromisoformat(w["datum"]) if w.get("datum") else None,
            theme=w.get("hoofdonderwerp"),
            organisation=w.get("organisatie"),
            kind="inhoudelijk",
            kernvragen=DEFAULT_KERNVRAGEN,
        )
        contributions = []
        for i, c in enumerate(w["contributions"], start=1):
            k = int(c["kernvraag"])
            spec = DEFAULT_KERNVRAGEN[k - 1]
            contributions.append(
                ContributionRecord(
                    id=record.id * 1000 + i,
                    number=i,
                    round_position=k,
                    round_prompt=spec.question,
                    kernvraag_position=k,
                    kernvraag_title=spec.title,
                    text=strip_control(c["text"]),
                    label=c.get("soort"),
                    veld=c.get("veld"),
                    source=Source.IMPORT.value,
                )
            )
        out.append((record, contributions))
    return out


# --- generated werkplaatsen ---------------------------------------------------------------

_TOPICS: tuple[tuple[str, ...], ...] = (
    (
        "bodemdaling in het veenweidegebied",
        "de dalende bodem in veenweidegebieden",
        "bodemdaling in de veenweiden",
    ),
    (
        "wateroverlast door piekbuien",
        "overlast van hevige regenbuien",
        "wateroverlast na zware buien",
    ),
    ("verzilting van het grondwater", "zoute kwel in de polders", "verzilting van polders"),
    (
        "hittestress in de stad",
        "hitte in stedelijk gebied",
        "de stad die in de zomer te heet wordt",
    ),
    (
        "de energietransitie in de wijk",
        "de overstap op duurzame energie in wijken",
        "wijken van het aardgas af halen",
    ),
    ("windmolens op zee", "windparken op de Noordzee", "windenergie op zee"),
    ("zonnepanelen op daken", "zonne-energie op bedrijfsdaken", "zonnepanelen op grote daken"),
    ("de woningbouwopgave", "het tekort aan betaalbare woningen", "de bouw van nieuwe woningen"),
    (
        "de bereikbaarheid van de regio",
        "files op de wegen in de regio",
        "de bereikbaarheid per openbaar vervoer",
    ),
    ("circulair bouwen", "hergebruik van bouwmaterialen", "grondstoffen uit gesloopte gebouwen"),
    (
        "biodiversiteit in het landelijk gebied",
        "het verlies aan soorten op het platteland",
        "natuur in agrarisch gebied",
    ),
    (
        "korte ketens in de voedselvoorziening",
        "lokaal voedsel voor de regio",
        "voedsel van boer naar klant dichtbij",
    ),
    ("luchtkwaliteit langs drukke wegen", "fijnstof in de binnenstad", "vervuilde lucht in steden"),
    (
        "de identiteit van het landschap",
        "cultureel erfgoed in het landschap",
        "het eigen karakter van landschappen",
    ),
    (
        "open data over de leefomgeving",
        "data voor ruimtelijke planning",
        "sensoren en data in de openbare ruimte",
    ),
    ("krimp in de grensregio", "leegstand in krimpgebieden", "bevolkingsdaling in de grensstreek"),
    ("het mestoverschot in de veehouderij", "te veel mest op het land", "de mestproblematiek"),
    ("ruimte voor waterberging", "bergingsgebieden voor water", "ruimte om regenwater te bergen"),
    ("vergrijzing in dorpen", "ouderen in kleine dorpen", "een vergrijzende bevolking in dorpen"),
    (
        "de positie van de haven van Rotterdam",
        "de Rotterdamse haven als knooppunt",
        "de haven van Rotterdam als mainport",
    ),
)

# Per kernvraag: groups of paraphrases of one kind of statement, with the label they get.
_FRAMES: dict[int, tuple[tuple[str | None, tuple[str, ...]], ...]] = {
    1: (
        (
            "trend",
            (
                "{t} neemt de komende jaren sterk toe",
                "We zien dat {t} steeds verder toeneemt",
                "Richting 2050 neemt {t} verder toe",
            ),
        ),
        (
            "ontwikkeling",
            (
                "{t} krijgt steeds meer aandacht in de samenleving",
                "Er is groeiende maatschappelijke aandacht voor {t}",
            ),
        ),
    ),
    2: (
        (
            "opgave",
            (
                "De opgave is om {t} integraal aan te pakken",
                "{t} vraagt om een integrale aanpak",
                "Pak {t} integraal aan, over sectoren heen",
            ),
        ),
        (
            "kans",
            (
                "{t} biedt kansen voor nieuwe verdienmodellen",
                "Er liggen economische kansen en verdienmodellen in {t}",
                "Met {t} ontstaat een nieuw verdienmodel",
            ),
        ),
    ),
    3: (
        (
            "verbinding",
            (
                "Verbind {t} met de opgaven voor natuur en landbouw",
                "{t} hangt direct samen met natuur en landbouw",
                "Koppel {t} aan landbouw en natuur",
            ),
        ),
        (
            "verbinding",
            (
                "{t} raakt ook wonen en mobiliteit in de stad",
                "Er is een verband tussen {t} en wonen en mobiliteit",
            ),
        ),
    ),
    4: (
        (
            None,
            (
                "Het Rijk moet de regie nemen op {t}",
                "Rijk, neem de regie bij {t}",
                "Voor {t} is regie van het Rijk nodig",
            ),
        ),
        (
            None,
            (
                "Laat de regio zelf bepalen hoe ze {t} aanpakt",
                "Geef provincies en gemeenten de ruimte bij {t}",
                "Regionaal maatwerk bij {t}, geen blauwdruk uit Den Haag",
            ),
        ),
        (
            "dilemma",
            (
                "Wie betaalt voor {t}: de overheid of de markt?",
                "Is {t} een publieke of een private verantwoordelijkheid?",
            ),
        ),
    ),
    5: (
        (
            None,
            (
                "{t} mag niet ontbreken in de omgevingsagenda",
                "Zet {t} stevig in de Nationale Omgevingsagenda",
                "Neem {t} op in de omgevingsagenda als nationale opgave",
            ),
        ),
    ),
}

# Points people raise, a handful per kernvraag, each said in several ways. Most generated
# contributions restate one of these; the rest come from topic x frame combinations above.
_CLAIMS: dict[int, tuple[tuple[str | None, tuple[str, ...]], ...]] = {
    1: (
        (
            "trend",
            (
                "Bodemdaling in de veenweidegebieden gaat door en de kosten van beheer stijgen",
                "De bodem in het veenweidegebied blijft dalen, beheer wordt steeds duurder",
                "Door bodemdaling stijgen de beheerkosten in veenweidegebieden",
            ),
        ),
        (
            "trend",
            (
                "Vaker piekbuien en langere droge periodes door klimaatverandering",
                "Klimaatverandering geeft meer extreme buien en meer droogte",
                "Extremere neerslag afgewisseld met lange droogte",
            ),
        ),
        (
            "ontwikkeling",
            (
                "Steeds meer aandacht voor streekproducten en lokaal voedsel",
                "Mensen willen weten waar hun voedsel vandaan komt: lokaal en uit de streek",
                "Groeiende vraag naar voedsel uit de eigen regio",
            ),
        ),
        (
            "trend",
            (
                "Verzilting van het grondwater in de kustprovincies neemt toe",
                "Het grondwater in de kuststreek wordt zouter",
                "Meer zoute kwel en verzilting langs de kust",
            ),
        ),
    ),
    2: (
        (
            "opgave",
            (
                "Maak steden klimaatbestendig: meer groen en ruimte voor water",
                "De opgave is de stad klimaatbestendig te maken met groen en waterberging",
                "Klimaatadaptatie van de bestaande stad met meer groen en water",
            ),
        ),
        (
            "kans",
            (
                "Agrariërs kunnen zoet water produceren als nieuw verdienmodel",
                "Boeren die zoet water leveren: een nieuw verdienmodel",
                "Zoetwaterproductie door agrariërs als verdienmodel",
            ),
        ),
        (
            "kans",
            (
                "Waterschappen kunnen meer energie opwekken dan ze zelf gebruiken",
                "Waterschappen als energieproducent op hun eigen terreinen",
                "Waterzuiveringen kunnen energie en grondstoffen leveren",
            ),
        ),
        (
            "opgave",
            (
                "Een robuust voedselsysteem dat schokken door klimaat en geopolitiek aankan",
                "Het voedselsysteem moet bestand zijn tegen klimaatschokken en geopolitiek",
                "Zorg voor een robuust voedselsysteem",
            ),
        ),
    ),
    3: (
        (
            "verbinding",
            (
                "Waterbesparing is energiebesparing",
                "Wie water bespaart, bespaart energie",
                "Water en energie hangen samen: besparen op water bespaart energie",
            ),
        ),
        (
            "verbinding",
            (
                "Waterkwaliteit en mestgebruik in de landbouw hangen direct samen",
                "Mest in de landbouw bepaalt de waterkwaliteit",
                "Koppel waterkwaliteit aan het mestbeleid voor de landbouw",
            ),
        ),
        (
            "verbinding",
            (
                "Verbind stad en land: korte ketens tussen boer en consument",
                "Korte ketens verbinden de boer met de stad",
                "Stad en platteland verbinden via lokale voedselketens",
            ),
        ),
    ),
    4: (
        (
            None,
            (
                "Bodemdaling moet een nationale opgave worden met één trekker",
                "Maak van bodemdaling een nationale opgave, met iemand die de pen vasthoudt",
                "Het Rijk moet bodemdaling als nationale opgave oppakken",
            ),
        ),
        (
            None,
            (
                "Geef regio's ruimte voor maatwerk, geen blauwdruk uit Den Haag",
                "Regionaal maatwerk in plaats van landelijke regels",
                "Laat de regio zelf bepalen hoe ze de opgave aanpakt",
            ),
        ),
        (
            "dilemma",
            (
                "Moet het Rijk zich uitspreken over regionale wateroverlast?",
                "Is wateroverlast door piekbuien een zaak voor het Rijk of voor de regio?",
            ),
        ),
    ),
    5: (
        (
            "citaat",
            (
                "Nederland als proeftuin voor de wereld",
                "Maak van Nederland een proeftuin voor de wereld",
                "Nederland moet proeftuin voor de wereld zijn",
            ),
        ),
        (
            None,
            (
                "Experimenteerruimte voor initiatieven uit de samenleving",
                "Ruimte om te experimenteren voor maatschappelijke initiatieven",
                "Geef initiatiefnemers experimenteerruimte",
            ),
        ),
    ),
}
_SWAPS = (
    ("kunnen", "zouden kunnen"),
    ("meer", "veel meer"),
    ("steeds", "nog steeds"),
    ("boeren", "agrariërs"),
    ("stad", "steden"),
    ("Rijk", "Rijksoverheid"),
    ("verdienmodel", "businessmodel"),
    ("regio", "regio's"),
)
_DISSENT = (
    "Juist geen extra beleid voor {t}, de markt lost dat zelf op",
    "Ik ben het oneens: {t} wordt sterk overdreven",
)
_PREFIXES = ("", "", "", "", "Ik denk dat ", "Volgens mij: ", "Belangrijk: ")
_SUFFIXES = ("", "", "", ".", ".", ", dat is echt nodig.", " voor de lange termijn.", "!")


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def generate(n: int, *, seed: int = 1) -> tuple[WerkplaatsRecord, list[ContributionRecord]]:
    """A werkplaats of ``n`` contributions over the five default kernvragen."""
    rng = random.Random(seed)  # noqa: S311 - demo data, nothing secret
    werkplaats = WerkplaatsRecord(
        id=900 + seed,
        title=f"Proefwerkplaats met {n} bijdragen",
        programme="Werkplaatsen NOVI 2015–2016",
        starts_on=date(2016, 3, 10),
        place="Utrecht",
        kind="inhoudelijk",
        theme="Klimaat",
        organisation="Ministerie van Infrastructuur en Milieu",
        trekker="Trekker Proef",
        kernvragen=DEFAULT_KERNVRAGEN,
    )
    velden = Veld.values()
    n_participants = max(6, n // 5)
    participant_veld = {
        p: velden[0] if p % 9 == 0 else rng.choice(velden[1:]) for p in range(n_participants)
    }
    organisations = [f"Organisatie {i}" for i in range(max(3, n_participants // 3))]
    participant_org = {p: rng.choice(organisations) for p in range(n_participants)}

    points: dict[int, list[tuple[int, int]]] = {}
    for k, frames in _FRAMES.items():
        combos = [(t, f) for t in range(len(_TOPICS)) for f in range(len(frames))]
        rng.shuffle(combos)
        points[k] = combos
    weights = {k: [1.0 / (rank + 1) ** 0.9 for rank in range(len(ps))] for k, ps in points.items()}

    out: list[ContributionRecord] = []
    first_of_point: dict[tuple[int, int, int], int] = {}
    for i in range(1, n + 1):
        k = 1 + (i * 5 // (n + 1)) if n >= 5 else 1 + (i - 1) % 5  # rounds in order
        spec = DEFAULT_KERNVRAGEN[k - 1]
        claims = _CLAIMS[k]
        if rng.random() < 0.65:
            c = min(int(rng.expovariate(0.6)), len(claims) - 1)  # a few points dominate
            label, wordings = claims[c]
            key = (k, -1, c)
            text = rng.choice(wordings)
            for old, new in _SWAPS:
                if rng.random() < 0.15 and f" {old} " in f" {text} ":
                    text = f" {text} ".replace(f" {old} ", f" {new} ", 1).strip()
        else:
            t, f = rng.choices(points[k], weights[k])[0]
            label, templates = _FRAMES[k][f]
            key = (k, t, f)
            topic = rng.choice(_TOPICS[t])
            if rng.random() < 0.02:
                template, label = rng.choice(_DISSENT), None
            else:
                template = rng.choice(templates)
            text = template.format(t=topic)
        prefix = rng.choice(_PREFIXES)
        text = (prefix + text[0].lower() + text[1:]) if prefix else text[0].upper() + text[1:]
        text += rng.choice(_SUFFIXES)
        if rng.random() < 0.08:
            text = _typo(rng, text)
        p = rng.randrange(n_participants)
        merged_into = first_of_point.get(key) if rng.random() < 0.03 else None
        first_of_point.setdefault(key, i)
        out.append(
            ContributionRecord(
                id=10_000 + i,
                number=i,
                round_position=k,
                round_prompt=spec.question,
                kernvraag_position=k,
                kernvraag_title=spec.title,
                text=text,
                label=label if rng.random() < 0.7 else None,
                veld=participant_veld[p],
                organisation=participant_org[p],
                participant_key=f"p{p}",
                source=Source.TELEFOON.value if rng.random() < 0.9 else Source.FLAP.value,
                support=rng.choice((0, 0, 0, 0, 1, 1, 2, 3)),
                votes=rng.choice((0, 0, 0, 1, 2)) if k == 5 else 0,
                is_starred=rng.random() < 0.02,
                is_citaat=rng.random() < 0.01,
                merged_into=10_000 + merged_into if merged_into else None,
            )
        )
    return werkplaats, out
