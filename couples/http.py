"""Request types for couple views."""

from accounts.http import UserRequest
from accounts.models import User

from .models import Couple


class CoupleRequest(UserRequest):
    """A request to a `@couple_required` view, which sets `couple` and `partner`."""

    couple: Couple
    partner: User | None
