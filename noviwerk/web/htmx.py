"""The one place that knows htmx's request and response headers."""

from __future__ import annotations

from flask import Response, redirect, request


def is_htmx() -> bool:
    """A request htmx made for a fragment (not a boosted link or a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary(response: Response) -> Response:
    """Mark a response whose body depends on HX-Request, so caches keep page and fragment apart."""
    response.vary.add("HX-Request")
    return response


def redirect_after_post(location: str) -> Response:
    """303 for a plain form; for htmx a client-side redirect to the same place."""
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


def retarget(response: Response, selector: str, swap: str = "innerHTML") -> Response:
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response


def trigger(response: Response, event: str) -> Response:
    response.headers["HX-Trigger"] = event
    return response
