"""Renderers: plain records or a synthesis Document in, file contents out; no Flask, no models."""
