"""Pure synthesis: contributions in, a neutral Document out (bouwsteen, clustering).

Never imports Flask, SQLAlchemy or the models; takes the plain records of ``noviwerk.domain``.
"""
