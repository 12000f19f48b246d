"""Request types for couple views."""

from typing import Any

from accounts.http import UserRequest
from accounts.models import User

from .models import Couple


class CoupleRequest(UserRequest):
    """A request to a `@couple_required` view, which sets `couple` and `partner`."""

    couple: Couple
    partner: User | None
    # With couple_required_prefetching: cache values read with the couple, by key.
    prefetched: dict[str, Any]
