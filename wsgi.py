"""WSGI entry point: ``gunicorn wsgi:app``."""

from noviwerk import create_app

app = create_app()
