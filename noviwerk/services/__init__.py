"""Use cases as verbs. Each write is one transaction (``write_transaction``) and owns its commit;
views call one service and render. Failures a user can fix raise ``ServiceError`` subclasses
with a Dutch message fit to show as is."""

from .errors import Forbidden, Invalid, NotFound, ServiceError

__all__ = ["Forbidden", "Invalid", "NotFound", "ServiceError"]
