"""The sections of a bouwsteen, one module per kind: ``samenvatting``, ``draden`` (rode
draden across the kernvragen), ``opgaven`` (opgaven, kansen en
dilemma's), ``verbinding`` (verbindingen), ``afwijkend`` (afwijkende geluiden) and
``verbatim`` (citaten and the bijlage, the contributions as they were said)."""

from noviwerk.synthesis.sections.afwijkend import afwijkende_geluiden
from noviwerk.synthesis.sections.draden import rode_draden_section
from noviwerk.synthesis.sections.opgaven import opgaven_kansen_dilemmas
from noviwerk.synthesis.sections.samenvatting import samenvatting
from noviwerk.synthesis.sections.verbatim import attribution, bijlage, citaten
from noviwerk.synthesis.sections.verbinding import verbindingen

__all__ = ["afwijkende_geluiden", "attribution", "bijlage", "citaten", "opgaven_kansen_dilemmas",
           "rode_draden_section", "samenvatting", "verbindingen"]  # fmt: skip
